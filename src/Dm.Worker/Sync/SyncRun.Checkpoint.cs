using Dm.Core.Errors;
using Dm.Worker.Units;
using Dm.Binlog.Replication;
using MySqlConnector;

namespace Dm.Worker.Sync;

/// <summary>Where a run starts, and how the global checkpoint follows the commit watermark.</summary>
internal sealed partial class SyncRun
{
    private long _lastSkippedSequence;

    /// <summary>No checkpoint yet: start_time, else the task's meta, else (mode all) nothing — Load writes the dump's point.</summary>
    private async Task<SyncCheckpoint> ResolveStartAsync(CancellationToken cancellationToken)
    {
        BinlogLocation start;
        if (!string.IsNullOrEmpty(settings.StartTime))
        {
            var upstream = await UpstreamAsync(cancellationToken);
            var time = await StartTimeUtcAsync(upstream, settings.StartTime, cancellationToken);
            var position = await BinlogTimeLocator.FindAsync(upstream, settings.ClientOptions(null), time, cancellationToken);
            start = await BinlogGtidLocator.LocateAsync(settings.ClientOptions(null), position, cancellationToken);
            logger.LogInformation("sync of {Task}: start_time {Time} is at {Position}", settings.Config.Name, settings.StartTime, start);
        }
        else if (settings.Config.Meta is { } meta && (meta.BinlogName.Length > 0 || meta.BinlogGtid.Length > 0))
        {
            start = meta.ToLocation(settings.GtidFlavor);
            // A position without its GTID set: the set is read from the binlog, so that checkpoints carry complete sets.
            if (start.HasPosition && start.GtidSet is null)
                start = await BinlogGtidLocator.LocateAsync(settings.ClientOptions(null), start.Position, cancellationToken);
        }
        else if (settings.Config.Mode == Dm.Core.Config.TaskModes.All)
        {
            throw DmErrors.ErrSyncerEvent.WithMessage(
                $"subtask {settings.Config.Name} has no sync checkpoint in `{settings.Config.MetaSchema}`: the full copy did not record where to start; restart the task with remove_meta");
        }
        else
        {
            throw DmErrors.ErrConfigMetaInvalid.WithMessage(
                $"mysql-instance({settings.Config.SourceId}) must set meta (binlog_name/binlog_pos or binlog_gtid) or start_time for task-mode incremental");
        }
        var checkpointed = new SyncCheckpoint(start, null);
        await checkpoint.WriteGlobalAsync(_control, null, checkpointed, cancellationToken);
        return checkpointed;
    }

    /// <summary>DM's start_time: with an offset it is absolute; without, it is the upstream's local time (the upstream converts it).</summary>
    private static async Task<DateTime> StartTimeUtcAsync(MySqlConnection upstream, string text, CancellationToken cancellationToken)
    {
        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var absolute) &&
            (text.Contains('+') || text.EndsWith('Z') || text.LastIndexOf('-') > 10))
            return absolute.UtcDateTime;
        await using var command = new MySqlCommand("SELECT UNIX_TIMESTAMP(@t)", upstream);
        command.Parameters.AddWithValue("@t", text.Replace('T', ' '));
        var seconds = await command.ExecuteScalarAsync(cancellationToken);
        if (seconds is null or DBNull)
            throw DmErrors.ErrConfigMetaInvalid.WithMessage($"start_time `{text}` is not a time the upstream understands");
        return DateTime.UnixEpoch.AddSeconds((double)Convert.ToDecimal(seconds));
    }

    private async Task FlushLoopAsync(CancellationToken cancellationToken)
    {
        MySqlConnection? connection = null;
        UpstreamStatus? upstream = null;
        var lastMaster = DateTime.MinValue;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(settings.FlushInterval, cancellationToken);
                try
                {
                    connection ??= await OpenTargetAsync(cancellationToken);
                    await FlushAsync(connection, cancellationToken);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
                {
                    // The writers meet the same target and stop the run if it is really gone; a missed flush only delays.
                    logger.LogWarning("checkpoint flush of {Task} failed, retrying: {Error}", settings.Config.Name, e.Message);
                    if (connection is not null) await connection.DisposeAsync();
                    connection = null;
                }
                if (DateTime.UtcNow - lastMaster < TimeSpan.FromSeconds(2)) continue;
                try
                {
                    upstream ??= new UpstreamStatus(settings.Upstream, await DataConnections.OpenAsync(settings.Upstream, cancellationToken));
                    var (master, offset) = await upstream.ReadAsync(cancellationToken);
                    progress.Master(master, offset);
                    lastMaster = DateTime.UtcNow;
                }
                catch (Exception e) when (e is MySqlException or Dm.Core.Upstream.UpstreamException or InvalidOperationException)
                {
                    logger.LogDebug("cannot read the upstream's position: {Error}", e.Message);
                    if (upstream is not null) await upstream.Connection.DisposeAsync();
                    upstream = null;
                }
                ReportProgress();
            }
        }
        finally
        {
            if (upstream is not null) await upstream.Connection.DisposeAsync();
            if (connection is not null) await connection.DisposeAsync();
        }
    }

    private void ReportProgress() =>
        progress.Synced(_watermark.Position, _watermark.Timestamp, _watermark.AllCommitted && _transaction is null && _large is null);

    private async Task FlushAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        await _checkpointGate.WaitAsync(cancellationToken);
        try
        {
            await WriteCheckpointAsync(connection, [], cancellationToken);
        }
        finally
        {
            _checkpointGate.Release();
        }
    }

    /// <summary>
    /// Writes the watermark as the global row, the given tracked tables, and deletes the applied rows the
    /// watermark now covers, in one target transaction. Callers hold <see cref="_checkpointGate"/>.
    /// </summary>
    private async Task WriteCheckpointAsync(MySqlConnection connection, IReadOnlyCollection<(string Schema, string Table)> tables, CancellationToken cancellationToken,
        IReadOnlyCollection<long>? alsoDelete = null)
    {
        var (position, covered) = _watermark.Snapshot();
        var stale = _applied.Count == 0 && _staleBatches.Count > 0 && _watermark.Sequence >= _lastSkippedSequence ? _staleBatches : [];
        var exit = _safeModeExit is { HasPosition: true } e && position.HasPosition && position.Position < e.Position ? e : null;
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await checkpoint.WriteGlobalAsync(connection, transaction, new SyncCheckpoint(position, exit), cancellationToken);
            foreach (var (schema, table) in tables)
            {
                if (schemas.CreateSql(schema, table) is { } sql)
                    await checkpoint.WriteTableAsync(connection, transaction, schema, table, sql, position, cancellationToken);
                else
                    await checkpoint.DeleteTableAsync(connection, transaction, schema, table, cancellationToken);
            }
            await checkpoint.DeleteAppliedAsync(connection, transaction, [.. covered, .. stale, .. alsoDelete ?? []], cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            _watermark.Restore(covered);
            throw;
        }
        if (stale.Count > 0) _staleBatches = [];
        ReportProgress();
    }

    /// <summary>On the way out (pause, error): record the watermark, best effort — the applied rows make it exact anyway.</summary>
    private async Task FinalFlushAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await using var connection = await OpenTargetAsync(timeout.Token);
            await FlushAsync(connection, timeout.Token);
        }
        catch (Exception e)
        {
            logger.LogDebug("final checkpoint flush of {Task} skipped: {Error}", settings.Config.Name, e.Message);
        }
    }
}
