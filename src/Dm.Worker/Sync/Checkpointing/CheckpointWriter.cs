using Dm.Binlog.Replication;
using Dm.Worker.Sync.Planning;
using MySqlConnector;

namespace Dm.Worker.Sync.Checkpointing;

/// <summary>
/// Writes the global checkpoint at the commit watermark: the global row (with the dump's safe-mode exit point while the
/// watermark is before it), the tracked structure of tables a DDL changed, and the deletion of the applied rows the
/// watermark now covers — in one target transaction, one write at a time. Written every flush interval, after each DDL,
/// and once more on the way out.
/// </summary>
internal sealed class CheckpointWriter(SyncCheckpointTable table, CommitWatermark watermark, AppliedRecords applied, List<long> staleBatches,
    TrackedSchemas schemas, SafeMode safeMode, WatermarkReporter reporter, Func<CancellationToken, Task<MySqlConnection>> openTarget,
    string task, ILogger logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    // Applied rows of an earlier run's batches: deleted once every transaction they name has been read past and skipped.
    private List<long> _staleBatches = staleBatches;
    private long _lastSkippedSequence;

    /// <summary>A transaction an applied row named was read past as <paramref name="sequence"/> (see <see cref="CommitWatermark.Done"/>).</summary>
    public void Skipped(long sequence) => _lastSkippedSequence = sequence;

    /// <summary>
    /// The flush loop: every <paramref name="interval"/> writes the checkpoint on a connection of its own (a failed write
    /// only delays: the writers meet the same target); every two seconds also reads the upstream's position and reports progress.
    /// </summary>
    public async Task RunAsync(TimeSpan interval, UpstreamPositionPoller upstream, CancellationToken cancellationToken)
    {
        MySqlConnection? connection = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(interval, cancellationToken);
                try
                {
                    connection ??= await openTarget(cancellationToken);
                    await FlushAsync(connection, cancellationToken);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
                {
                    // The writers meet the same target and stop the run if it is really gone; a missed flush only delays.
                    logger.LogWarning("checkpoint flush of {Task} failed, retrying: {Error}", task, e.Message);
                    if (connection is not null) await connection.DisposeAsync();
                    connection = null;
                }
                if (!upstream.Due) continue;
                await upstream.PollAsync(cancellationToken);
                reporter.Report();
            }
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
    }

    /// <summary>Writes the checkpoint at the watermark.</summary>
    public async Task FlushAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await WriteAsync(connection, [], cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// After a DDL (every change before it committed): moves the watermark to <paramref name="position"/> and writes it with
    /// the structures of <paramref name="tables"/>, deleting the DDL's progress row <paramref name="progressRow"/> with it.
    /// </summary>
    /// <param name="alsoWrite">Further writes of the same target transaction (the online-DDL records the DDL changed).</param>
    public async Task WriteAfterDdlAsync(MySqlConnection connection, BinlogLocation position, uint timestamp,
        IReadOnlyCollection<(string Schema, string Table)> tables, long progressRow, CancellationToken cancellationToken,
        IReadOnlyCollection<MySqlBatchCommand>? alsoWrite = null)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            watermark.MoveTo(position, timestamp);
            await WriteAsync(connection, tables, cancellationToken, [progressRow], alsoWrite);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>On the way out (pause, error): record the watermark, best effort — the applied rows make it exact anyway.</summary>
    public async Task FinalFlushAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await using var connection = await openTarget(timeout.Token);
            await FlushAsync(connection, timeout.Token);
        }
        catch (Exception e)
        {
            logger.LogDebug("final checkpoint flush of {Task} skipped: {Error}", task, e.Message);
        }
    }

    /// <summary>
    /// Writes the watermark as the global row, the given tracked tables, and deletes the applied rows the watermark now
    /// covers, in one target transaction sent in one round trip (BEGIN to COMMIT: the server never holds this transaction's
    /// locks waiting on the worker, which a later binding's claim would otherwise wait behind). Callers hold <see cref="_gate"/>.
    /// </summary>
    private async Task WriteAsync(MySqlConnection connection, IReadOnlyCollection<(string Schema, string Table)> tables, CancellationToken cancellationToken,
        IReadOnlyCollection<long>? alsoDelete = null, IReadOnlyCollection<MySqlBatchCommand>? alsoWrite = null)
    {
        var (position, covered) = watermark.Snapshot();
        var stale = applied.Count == 0 && _staleBatches.Count > 0 && watermark.Sequence >= _lastSkippedSequence ? _staleBatches : [];
        var exit = safeMode.ExitAfter(position);
        try
        {
            List<MySqlBatchCommand> commands = [new("BEGIN"), table.GlobalCommand(new SyncCheckpoint(position, exit))];
            foreach (var (schema, name) in tables)
                commands.Add(schemas.CreateSql(schema, name) is { } sql ? table.TableCommand(schema, name, sql, position) : table.DeleteTableCommand(schema, name));
            commands.AddRange(table.DeleteAppliedCommands([.. covered, .. stale, .. alsoDelete ?? []]));
            commands.AddRange(alsoWrite ?? []);
            commands.Add(new MySqlBatchCommand("COMMIT"));
            try
            {
                await SyncCheckpointTable.ExecuteAsync(connection, commands, cancellationToken);
            }
            catch (MySqlException e)
            {
                // Whatever ran of the transaction goes; a connection in doubt is closed by the caller's retry.
                await using (var rollback = new MySqlCommand("ROLLBACK", connection))
                    await rollback.ExecuteNonQueryAsync(CancellationToken.None);
                if (table.IsFencedCheckpoint(e)) throw table.Fence.Fenced();
                throw;
            }
        }
        catch
        {
            watermark.Restore(covered);
            throw;
        }
        if (stale.Count > 0) _staleBatches = [];
        reporter.Report();
    }
}
