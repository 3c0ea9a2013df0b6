using System.Threading.Channels;
using Dm.Core.Errors;
using Dm.Core.Upstream;
using Dm.Worker.Errors;
using Dm.Worker.Sync.Checkpointing;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Sync.Applying;

/// <summary>
/// One target connection applying the transactions routed to it, in order: queued transactions are grouped
/// into one target transaction of up to <c>batch</c> statements, together with the applied row naming them,
/// so a batch is either wholly in the target with its record or not at all.
/// </summary>
internal sealed class SyncWriter(int index, MySqlConnection connection, SyncCheckpointTable checkpoint, WriterShape shape,
    Func<long> nextBatchId, Action<IReadOnlyList<SyncTransaction>, long, int> committed) : IAsyncDisposable
{
    private readonly Channel<SyncTransaction> _queue = Channel.CreateBounded<SyncTransaction>(new BoundedChannelOptions(shape.QueueSize)
    {
        SingleReader = true,
        SingleWriter = true,
    });
    private long _assigned;
    private long _committed;

    public int Index => index;

    /// <summary>Sequence of the last transaction handed to this writer.</summary>
    public long Assigned => Interlocked.Read(ref _assigned);

    /// <summary>Sequence of the last transaction this writer committed.</summary>
    public long CommittedSequence => Interlocked.Read(ref _committed);

    public bool Idle => CommittedSequence >= Assigned;

    public int Queued => _queue.Reader.Count;

    public async ValueTask EnqueueAsync(SyncTransaction transaction, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _assigned, transaction.Sequence);
        await _queue.Writer.WriteAsync(transaction, cancellationToken);
    }

    public void Complete() => _queue.Writer.TryComplete();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var batch = new List<SyncTransaction>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            batch.Clear();
            var statements = 0;
            while (statements < shape.BatchStatements && reader.TryRead(out var next))
            {
                batch.Add(next);
                statements += next.Size;
            }
            if (batch.Count == 0) continue;
            var id = nextBatchId();
            await ApplyAsync(batch, id, cancellationToken);
            // The watermark first: whoever sees this writer idle may rely on the watermark covering the batch.
            committed(batch, id, index);
            Interlocked.Exchange(ref _committed, batch[^1].Sequence);
        }
    }

    private async Task ApplyAsync(List<SyncTransaction> batch, long id, CancellationToken cancellationToken)
    {
        var statements = BatchStatements.Build(batch, shape.RowsPerStatement);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // BEGIN, the changes and the applied row in one round trip. Without a fence COMMIT goes in a second (a
                // MySqlTransaction costs a third): a server still running a batch whose client has died (killed worker, cut
                // network) must roll it back, not commit it after a successor has read the applied rows and replayed it.
                // With a fence the successor's claim waits for the batch (the applied row's guard holds the fence row shared)
                // and the batch lands only while this binding holds the source, so COMMIT joins the round trip: the server
                // then never holds the batch's locks waiting on this worker (frozen, cut off), which the successor would wait behind.
                var fenced = checkpoint.Fence.IsActive;
                var lenient = batch.Exists(t => t.Lenient);
                await RunBatchAsync(connection, null,
                    [
                        .. lenient ? [LenientMode.Relax()] : Array.Empty<MySqlBatchCommand>(),
                        new MySqlBatchCommand("BEGIN"), .. statements.Select(ToCommand), checkpoint.AppliedCommand(id, batch.Select(t => t.Id)),
                        .. fenced ? [new MySqlBatchCommand("COMMIT")] : Array.Empty<MySqlBatchCommand>(),
                        .. lenient ? [LenientMode.Restore()] : Array.Empty<MySqlBatchCommand>(),
                    ],
                    () => Describe(batch), cancellationToken);
                if (!fenced)
                {
                    await using var commit = new MySqlCommand("COMMIT", connection);
                    await commit.ExecuteNonQueryAsync(cancellationToken);
                }
                return;
            }
            // Writers touch different rows, but InnoDB may still lock neighbours (REPLACE, scans of tables without keys):
            // a deadlock rolled the whole batch back, a lock timeout only its statement; after a confirmed ROLLBACK the
            // retry is exact. Without one (BEGIN would commit what is left open), the batch fails instead.
            catch (DataStatementException e) when (DatabaseErrorPolicy.IsLockConflict(e) && attempt < MaxLockRetries)
            {
                if (!await RollBackAsync()) throw;
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt * (index + 1)), cancellationToken);
            }
            // The applied row was refused: the source was bound again after this binding, the batch must not commit.
            catch (DataStatementException e) when (checkpoint.IsFenced(e))
            {
                await RollBackAsync();
                throw checkpoint.Fence.Fenced();
            }
            catch (DataStatementException e) when (DatabaseErrorPolicy.Classify(e) == ErrorKind.NeedsUser && !DatabaseErrorPolicy.IsAccessDenied(e))
            {
                // The target refuses a value (too long, out of range, a duplicate key...): name the statement's table and
                // the upstream transaction it comes from, as the batch's error alone cannot.
                if (!await RollBackAsync()) throw;
                throw (Exception?)await LocateRefusalAsync(batch, e, cancellationToken) ?? e;
            }
            catch
            {
                await RollBackAsync();
                throw;
            }
        }
    }

    /// <summary>
    /// Replays a refused batch transaction by transaction, statement by statement, inside a target transaction rolled back at
    /// the end, to find the statement the target refuses: DM's error naming its table, the server's message (which names the
    /// column) and the upstream transaction's position. Null when the replay meets no refusal.
    /// </summary>
    private async Task<DmException?> LocateRefusalAsync(List<SyncTransaction> batch, DataStatementException refused, CancellationToken cancellationToken)
    {
        try
        {
            await using (var begin = new MySqlCommand("BEGIN", connection)) await begin.ExecuteNonQueryAsync(cancellationToken);
            foreach (var transaction in batch)
            {
                foreach (var statement in BatchStatements.Build([transaction], shape.RowsPerStatement))
                {
                    try
                    {
                        await RunBatchAsync(connection, null, [ToCommand(statement)], () => statement.Sql, cancellationToken);
                    }
                    catch (DataStatementException e) when (e.InnerException is MySqlException m)
                    {
                        var table = Dm.Sql.Classification.DmlTarget.Of(statement.Sql) is { } t ? Quote.Table(t.Schema ?? "", t.Name) : "?";
                        return DmErrors.ErrDBExecuteFailed.Wrap(m,
                            $"{e.StatementPreview}: the target refuses a row of {table}: {m.Message} (upstream transaction {transaction.Id}, " +
                            $"ending at {transaction.End.Position})");
                    }
                }
            }
            return null;
        }
        catch (Exception e) when (e is MySqlException or DataStatementException && !cancellationToken.IsCancellationRequested)
        {
            return DmErrors.ErrDBExecuteFailed.Wrap(refused.InnerException!, refused.StatementPreview);
        }
        finally
        {
            await RollBackAsync();
        }
    }

    /// <summary>Ends a batch that failed part-way (a lock timeout leaves its transaction open); false when that is not confirmed.</summary>
    private async Task<bool> RollBackAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await using var rollback = new MySqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync(timeout.Token);
            return true;
        }
        catch (Exception e) when (e is MySqlException or InvalidOperationException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private const int MaxLockRetries = 10;

    /// <summary>Runs statements (and an optional last command) in one round trip inside the caller's transaction.</summary>
    internal static Task ExecuteAsync(MySqlConnection connection, MySqlTransaction transaction, IEnumerable<Dm.Sql.Dml.DmlStatement> statements,
        MySqlBatchCommand? last, Func<string> describe, CancellationToken cancellationToken) =>
        RunBatchAsync(connection, transaction, [.. statements.Select(ToCommand), .. last is null ? [] : new[] { last }], describe, cancellationToken);

    private static async Task RunBatchAsync(MySqlConnection connection, MySqlTransaction? transaction, List<MySqlBatchCommand> commands,
        Func<string> describe, CancellationToken cancellationToken)
    {
        if (commands.Count == 0) return;
        await using var batch = new MySqlBatch(connection, transaction);
        foreach (var c in commands) batch.BatchCommands.Add(c);
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (MySqlException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DataStatementException(describe(), e);
        }
    }

    private static MySqlBatchCommand ToCommand(Dm.Sql.Dml.DmlStatement statement)
    {
        if (Dm.Sql.Dml.InlinedStatement.TryRender(statement, out var sql)) return new MySqlBatchCommand(sql);
        var command = new MySqlBatchCommand(statement.Sql);
        foreach (var value in statement.Parameters) command.Parameters.Add(new MySqlParameter { Value = value });
        return command;
    }

    private static string Describe(List<SyncTransaction> batch) =>
        $"batch of {batch.Count} upstream transaction(s) ending at {batch[^1].End.Position}: " +
        string.Join("; ", batch.SelectMany(t => t.Statements).Take(3).Select(s => s.Sql));

    public async ValueTask DisposeAsync() => await connection.DisposeAsync();
}
