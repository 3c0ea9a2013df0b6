using System.Collections.Concurrent;
using Dm.Binlog;
using Dm.Binlog.Events;
using Dm.Binlog.Replication;
using Dm.Core.Errors;
using Dm.Core.Rules;
using Dm.Sql;
using Dm.Sql.Ast;
using Dm.Sql.Lexing;
using Dm.Sql.Parsing;
using Dm.Worker.Errors;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Sync;

/// <summary>
/// One run of the Sync unit, from the checkpoint until paused or failed: reads events, assembles upstream
/// transactions, filters and routes them, plans their statements, hands them to the writer pool, applies
/// DDL behind a barrier, and keeps the global checkpoint at the commit watermark.
/// </summary>
internal sealed partial class SyncRun(SyncSettings settings, SyncCheckpointTable checkpoint, TrackedSchemas schemas, SyncProgress progress,
    ConcurrentDictionary<BinlogPosition, (SyncErrorOperation Operation, IReadOnlyList<string> Statements)> errorOperations, ILogger logger)
{
    private const int MaxReconnects = 10;

    private readonly BlockAllowListFilter _filter = settings.Config.CreateBlockAllowListFilter();
    private readonly BinlogEventFilter _events = settings.Config.CreateBinlogEventFilter();
    private readonly TableRouter _router = settings.Config.CreateTableRouter();
    private readonly SemaphoreSlim _checkpointGate = new(1, 1);
    private readonly long _batchBase = DateTime.UtcNow.Ticks;
    private long _batchCounter;

    private MySqlConnection _control = null!;
    private MySqlConnection? _upstream;
    private CommitWatermark _watermark = null!;
    private WriterPool _pool = null!;
    private BinlogClient _client = null!;
    private AppliedRecords _applied = new();
    private List<long> _staleBatches = [];
    private BinlogLocation? _safeModeExit;
    private uint? _safeModeUntil;
    private SyncTransaction? _transaction;
    private LargeTransaction? _large;

    /// <summary>The position of the event the run stopped on with an error, for binlog skip/replace.</summary>
    public BinlogPosition? BlockedAt { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var control = await OpenTargetAsync(cancellationToken);
        _control = control;
        await checkpoint.EnsureAsync(control, cancellationToken);
        var start = await checkpoint.ReadGlobalAsync(control, cancellationToken) ?? await ResolveStartAsync(cancellationToken);
        schemas.Reset(await checkpoint.ReadTablesAsync(control, cancellationToken));
        (_applied, _staleBatches) = await checkpoint.ReadAppliedAsync(control, cancellationToken);
        _safeModeExit = start.SafeModeExit;
        _watermark = new CommitWatermark(start.Position);
        logger.LogInformation("sync of {Task} starts at {Position} (safe mode exit {Exit}, {Applied} transactions already applied)",
            settings.Config.Name, start.Position, start.SafeModeExit?.ToString() ?? "none", _applied.Count);

        // The writers' connections open together (each costs a handshake and session settings: a task's start waits on them).
        var opening = Enumerable.Range(0, settings.Writers).Select(_ => OpenTargetAsync(cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(opening);
        }
        catch
        {
            foreach (var open in opening.Where(o => o.IsCompletedSuccessfully)) await open.Result.DisposeAsync();
            throw;
        }
        var writers = opening.Select((open, i) => new SyncWriter(i, open.Result, checkpoint, settings.BatchStatements,
            () => _batchBase + Interlocked.Increment(ref _batchCounter), OnCommitted)).ToList();
        await using var pool = new WriterPool(writers, cancellationToken);
        _pool = pool;
        using var background = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var flusher = FlushLoopAsync(background.Token);
        // A writer that stops on an error stops the reader too, even while the upstream is quiet.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, pool.Failed);
        try
        {
            await ReadLoopAsync(start.Position, reading.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            pool.ThrowIfFailed();
            throw;
        }
        finally
        {
            background.Cancel();
            try { await flusher; } catch (OperationCanceledException) { }
            await FinalFlushAsync();
            if (_upstream is not null) await _upstream.DisposeAsync();
            if (_large is not null) await _large.DisposeAsync();
        }
    }

    private void OnCommitted(IReadOnlyList<SyncTransaction> batch, long id, int writer)
    {
        _watermark.Committed(batch, id);
        _pool.NotifyCommitted();
        ReportProgress();
    }

    private Task<MySqlConnection> OpenTargetAsync(CancellationToken cancellationToken) =>
        DataConnections.OpenAsync(settings.Target, cancellationToken, sessionStatements:
        [
            $"SET SESSION foreign_key_checks = {(settings.TargetForeignKeyChecks ? 1 : 0)}",
            // Writers touch disjoint keys; READ COMMITTED spares them gap locks on each other's inserts.
            "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
        ]);

    internal async Task<MySqlConnection> UpstreamAsync(CancellationToken cancellationToken) =>
        _upstream ??= await DataConnections.OpenAsync(settings.Upstream, cancellationToken);

    private async Task ReadLoopAsync(BinlogLocation start, CancellationToken cancellationToken)
    {
        var options = settings.ClientOptions(start);
        logger.LogInformation("sync of {Task} reads the binlog {How}", settings.Config.Name,
            options.StartPosition is { } p ? $"from {p} (GTIDs executed so far: {start.GtidText})" : $"after the GTID set {start.GtidText}");
        _client = new BinlogClient(options);
        var failures = 0;
        while (true)
        {
            var events = _client.ReadEventsAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                while (true)
                {
                    bool more;
                    try
                    {
                        more = await events.MoveNextAsync();
                    }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
                    {
                        var (error, kind) = DatabaseErrorPolicy.ForBinlogRead(e);
                        if (kind != ErrorKind.Transient || ++failures > MaxReconnects) throw new BinlogReadException(error, kind);
                        logger.LogWarning("binlog stream of {Task} broke ({Error}); reconnecting at {Position}", settings.Config.Name, e.Message, _client.Position);
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(10_000, 250 * failures)), cancellationToken);
                        break;
                    }
                    if (!more)
                    {
                        // The server ended the stream (it sends EOF when it shuts down): the same as a dropped connection.
                        if (++failures > MaxReconnects)
                            throw new BinlogReadException(DmErrors.ErrSyncerGetEvent.WithMessage("the upstream keeps ending the binlog stream"), ErrorKind.Transient);
                        logger.LogWarning("binlog stream of {Task} ended by the upstream; reconnecting at {Position}", settings.Config.Name, _client.Position);
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(10_000, 250 * failures)), cancellationToken);
                        break;
                    }
                    failures = 0;
                    await HandleEventAsync(events.Current, cancellationToken);
                }
            }
            finally
            {
                try { await events.DisposeAsync(); } catch (Exception) when (!cancellationToken.IsCancellationRequested) { }
            }
        }
    }

    private async Task HandleEventAsync(BinlogEvent ev, CancellationToken cancellationToken)
    {
        progress.Event();
        switch (ev)
        {
            case MariaDbGtidEvent or MySqlGtidEvent:
                _transaction = Open(ev);
                break;
            case QueryEvent query:
                await HandleQueryAsync(query, cancellationToken);
                break;
            case RowsEvent rows:
                await HandleRowsAsync(rows, cancellationToken);
                break;
            case XidEvent xid:
                await CompleteTransactionAsync(xid, cancellationToken);
                break;
            case HeartbeatEvent:
                ReportProgress();
                break;
        }
    }

    private async Task HandleQueryAsync(QueryEvent query, CancellationToken cancellationToken)
    {
        var text = query.Query.AsSpan().Trim();
        if (text.Equals("BEGIN", StringComparison.OrdinalIgnoreCase) || text.StartsWith("XA START", StringComparison.OrdinalIgnoreCase))
        {
            _transaction ??= Open(query);
            return;
        }
        if (text.Equals("COMMIT", StringComparison.OrdinalIgnoreCase) || text.Equals("ROLLBACK", StringComparison.OrdinalIgnoreCase) ||
            text.StartsWith("XA END", StringComparison.OrdinalIgnoreCase) || text.StartsWith("XA COMMIT", StringComparison.OrdinalIgnoreCase))
        {
            await CompleteTransactionAsync(query, cancellationToken);
            return;
        }
        if (_transaction is not null && (text.StartsWith("SAVEPOINT", StringComparison.OrdinalIgnoreCase) ||
                                         text.StartsWith("ROLLBACK TO", StringComparison.OrdinalIgnoreCase) ||
                                         text.StartsWith("XA PREPARE", StringComparison.OrdinalIgnoreCase)))
            return;
        await HandleStatementAsync(query, cancellationToken);
        _transaction = null;
    }

    /// <summary>A transaction opened by <paramref name="ev"/>; skipped when an applied row names it.</summary>
    private SyncTransaction Open(BinlogEvent ev)
    {
        var id = ev.ResumePosition;
        return new SyncTransaction { Id = id, Timestamp = ev.Header.Timestamp, Skip = _applied.TakeTransaction(id) };
    }

    /// <summary>Where <paramref name="ev"/> ends, without the GTID set (cheap: for comparisons and names).</summary>
    private static BinlogPosition PositionOf(BinlogEvent ev) => ev.ResumePosition;

    /// <summary>Where <paramref name="ev"/> ends, with (a copy of) the GTIDs executed up to there (for checkpoints).</summary>
    private BinlogLocation PositionAfter(BinlogEvent ev) => new(ev.ResumePosition, _client.ExecutedGtid?.Clone());

    private bool SafeMode(uint timestamp, BinlogPosition at)
    {
        if (settings.Config.Syncer.SafeMode) return true;
        if (_safeModeExit is { HasPosition: true } exit && at.CompareTo(exit.Position) <= 0) return true;
        if (settings.SafeModeDuration is { } duration)
        {
            _safeModeUntil ??= timestamp + (uint)duration.TotalSeconds;
            if (timestamp <= _safeModeUntil) return true;
        }
        return false;
    }

    private async Task HandleRowsAsync(RowsEvent rows, CancellationToken cancellationToken)
    {
        if (_transaction?.Skip == true) return;
        var map = rows.Table ?? throw DmErrors.ErrBinlogExpectTableMapEv.New();
        var (schema, table) = (map.Database, map.Table);
        var type = rows.Kind switch
        {
            RowsEventKind.Write => BinlogEventTypes.Insert,
            RowsEventKind.Delete => BinlogEventTypes.Delete,
            _ => BinlogEventTypes.Update,
        };
        var (action, target) = (_rowRules ??= new RowEventRules(_filter, _events, _router, Ddl)).Decide(schema, table, type);
        switch (action)
        {
            case FilterAction.Ignore: return;
            case FilterAction.Error:
                var refusedAt = PositionOf(rows);
                throw await BlockAsync(refusedAt, DmErrors.ErrSyncerUnitBinlogEventFilter.WithMessage(
                    $"{type} on `{schema}`.`{table}` at {refusedAt} is refused by a binlog filter rule"), cancellationToken);
        }
        var info = schemas.Get(schema, table)
                   ?? await schemas.LoadAsync(schema, table, _control, UpstreamAsync, cancellationToken)
                   ?? throw DmErrors.ErrSyncerDownstreamTableNotFound.New($"`{schema}`.`{table}` (neither the target nor the upstream has it)");
        _transaction ??= Open(rows);
        if (_transaction.Skip) return;
        var at = PositionOf(rows);
        // Rows are merged per source table: a routed table may share its target with other shards, whose changes to the same
        // key must stay in binlog order with its own, so only tables written under their own name are merged.
        var unrouted = string.Equals(target.Schema, schema, StringComparison.Ordinal) && string.Equals(target.Name, table, StringComparison.Ordinal);
        RowChangePlanner.Plan(_transaction, rows, info, target, SafeMode(rows.Header.Timestamp, at), merge: !settings.TargetForeignKeyChecks && unrouted);
        if (_large is not null || _transaction.RowChanges >= settings.LargeTransactionRows)
            await SpillLargeAsync(cancellationToken);
    }

    /// <summary>
    /// Stops on the event at <paramref name="at"/>: every change before it is committed first (the target then shows
    /// exactly what came before the blocked event), and the position is kept for binlog skip/replace.
    /// </summary>
    private async Task<DmException> BlockAsync(BinlogPosition at, DmException error, CancellationToken cancellationToken)
    {
        BlockedAt = at;
        await _pool.DrainAsync(cancellationToken);
        return error;
    }

    private DdlPlanner? _ddlPlanner;
    private RowEventRules? _rowRules;

    private DdlPlanner Ddl => _ddlPlanner ??= new DdlPlanner(settings.Config, _filter, _events, _router);


    private async Task CompleteTransactionAsync(BinlogEvent end, CancellationToken cancellationToken)
    {
        var transaction = _transaction;
        _transaction = null;
        var position = PositionAfter(end);
        progress.Transaction();
        if (_large is not null)
        {
            await FinishLargeAsync(transaction!, position, cancellationToken);
            return;
        }
        if (transaction is { Skip: true })
        {
            _lastSkippedSequence = _watermark.Done(position, end.Header.Timestamp);
            return;
        }
        if (transaction is null || transaction.Size == 0)
        {
            _watermark.Done(position, end.Header.Timestamp);
            return;
        }
        transaction.End = position;
        transaction.Sequence = _watermark.Next(position, transaction.Timestamp);
        await _pool.DispatchAsync(transaction, cancellationToken);
    }
}
