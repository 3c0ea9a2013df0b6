using System.Collections.Concurrent;
using Dm.Binlog.Replication;
using Dm.Core.Rules;
using Dm.Worker.Sync.Applying;
using Dm.Worker.Sync.Checkpointing;
using Dm.Worker.Sync.Planning;
using Dm.Worker.Sync.Reading;
using Dm.Worker.Sync.Sharding;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Sync;

/// <summary>
/// One run of the Sync unit, from the checkpoint until paused or failed. Wires the parts from what the target holds —
/// where to start (<see cref="StartPoint"/> when there is no checkpoint yet), the tracked tables, the applied rows — then
/// reads the binlog (<see cref="BinlogStream"/>) through the <see cref="EventDispatcher"/> while the writer pool applies
/// and the <see cref="CheckpointWriter"/> keeps the global checkpoint at the commit watermark; on the way out it stops
/// them and writes the checkpoint once more.
/// </summary>
internal sealed class SyncRun(SyncSettings settings, SyncCheckpointTable checkpoint, TrackedSchemas schemas, SyncProgress progress,
    ConcurrentDictionary<BinlogPosition, (SyncErrorOperation Operation, IReadOnlyList<string> Statements)> errorOperations, ILogger logger)
{
    private readonly BlockAllowListFilter _filter = settings.Config.CreateBlockAllowListFilter();
    private readonly BinlogEventFilter _events = settings.Config.CreateBinlogEventFilter();
    private readonly TableRouter _router = settings.Config.CreateTableRouter();
    private readonly BlockedEvent _blocked = new();
    // The run's one upstream SQL connection (tables' structures, start_time), opened when first needed.
    private MySqlConnection? _upstream;

    /// <summary>The position of the event the run stopped on with an error, for binlog skip/replace.</summary>
    public BinlogPosition? BlockedAt => _blocked.At;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var task = settings.Config.Name;
        await using var control = await OpenTargetAsync(cancellationToken);
        await checkpoint.EnsureAsync(control, cancellationToken);
        // This binding's epoch first: a claim waits for the writes still in flight of an earlier binding, whose next ones then fail.
        await checkpoint.Fence.ClaimAsync(control, cancellationToken);
        if (checkpoint.Fence.IsActive)
            logger.LogInformation("sync of {Task} holds binding epoch {Epoch} of source {Source}", settings.Config.Name, checkpoint.Fence.Epoch, settings.Config.SourceId);
        var start = await checkpoint.ReadGlobalAsync(control, cancellationToken) ?? await StartAsync(control, cancellationToken);
        schemas.Reset(await checkpoint.ReadTablesAsync(control, cancellationToken));
        var (applied, staleBatches) = await checkpoint.ReadAppliedAsync(control, cancellationToken);
        // The relay log when this worker pulls it, else the upstream; what the target holds in the form that source names files.
        using var source = await BinlogSourceChoice.ChooseAsync(settings, start, logger, cancellationToken);
        start = source.InForm(start);
        applied = applied.InForm(source.InSourceForm);
        var watermark = new CommitWatermark(start.Position);
        logger.LogInformation("sync of {Task} starts at {Position} (safe mode exit {Exit}, {Applied} transactions already applied)",
            task, start.Position, start.SafeModeExit?.ToString() ?? "none", applied.Count);

        var onlineDdl = new OnlineDdlTable(settings.Config.MetaSchema, task, settings.Config.SourceId);
        await onlineDdl.EnsureAsync(control, cancellationToken);
        var ddlPlanner = new DdlPlanner(settings.Config, _filter, _events, _router, await onlineDdl.ReadAsync(control, cancellationToken));
        var safeMode = new SafeMode(settings.Config.Syncer.SafeMode, start.SafeModeExit, settings.EffectiveSafeModeDuration);
        var transactions = new TransactionAssembler(applied);
        var batchIds = new BatchIds();
        var large = new LargeTransactionApplier(OpenWriterAsync, checkpoint, watermark, batchIds, task, logger, settings.Shape.RowsPerStatement);
        var reporter = new WatermarkReporter(watermark, progress, transactions, large);
        var sharding = settings.Pessimistic
            ? new PessimisticShards(new ShardingMetaTable(settings.Config.MetaSchema, task, settings.Config.SourceId)) : null;
        if (sharding is not null)
        {
            await sharding.Meta.EnsureAsync(control, cancellationToken);
            var (pin, resolved) = await sharding.Meta.ReadResolvedAsync(control, cancellationToken);
            sharding.Restore(start.Position.Position, pin, resolved);
            // The last resolutions are reported done again: a kill -9 may have come before the master heard of them.
            foreach (var (target, ddls) in await sharding.Meta.ReadDoneAsync(control, cancellationToken))
                settings.ShardDdl.Done(new ShardDdlLockRequest(task, settings.Config.SourceId, target.Schema, target.Table, ddls));
        }
        var checkpoints = new CheckpointWriter(checkpoint, watermark, applied, staleBatches, schemas, safeMode, reporter, OpenTargetAsync, task, logger,
            sharding is null ? null : () => sharding.Pin);

        await using var pool = new WriterPool(await OpenWriterConnectionsAsync(cancellationToken), checkpoint, settings.Shape, batchIds,
            (batch, id) =>
            {
                watermark.Committed(batch, id);
                reporter.Report();
            }, cancellationToken);
        var shardTables = settings.Config.IsSharding ? new ShardTables(_filter, _router, ddlPlanner.IsOnlineDdlTable) : null;
        if (settings.Optimistic) await TrackShardsAsync(shardTables!, control, start.Position, cancellationToken);
        var ddl = new DdlApplier(settings, ddlPlanner, schemas, control, UpstreamAsync, pool, checkpoint, checkpoints, watermark, applied, batchIds,
            _blocked, onlineDdl, errorOperations, shardTables, sharding, progress, logger);
        using var background = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var upstreamPosition = new UpstreamPositionPoller(settings.Upstream, progress, logger);
        var flusher = checkpoints.RunAsync(settings.FlushInterval, upstreamPosition, background.Token);
        // A writer that stops on an error stops the reader too, even while the upstream is quiet.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, pool.Failed);
        try
        {
            var stream = new BinlogStream(source.Source, task, logger, TimeProvider.System);
            var dispatcher = new EventDispatcher(settings, stream, transactions, new RowEventRules(_filter, _events, _router, ddlPlanner), schemas, control,
                UpstreamAsync, safeMode, pool, large, ddl, watermark, checkpoints, reporter, _blocked, progress, sharding);
            await foreach (var ev in stream.ReadAsync(reading.Token))
                await dispatcher.HandleAsync(ev, reading.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            pool.ThrowIfFailed();
            throw;
        }
        finally
        {
            background.Cancel();
            try { await flusher; }
            catch (OperationCanceledException) { }
            finally { await upstreamPosition.DisposeAsync(); }
            await checkpoints.FinalFlushAsync();
            if (_upstream is not null) await _upstream.DisposeAsync();
            await large.DisposeAsync();
        }
    }

    /// <summary>
    /// Optimistic shard merge: every shard table of this source is tracked, and checkpointed, from the run's first start on.
    /// Another source may change the shared target table at any time; a shard met only later would be loaded from a target
    /// that already has that change, and its own DDL then fail in the tracker (or be reported to the master wrongly).
    /// Each shard's structure is also reported done to the master's lock.
    /// </summary>
    private async Task TrackShardsAsync(ShardTables shardTables, MySqlConnection control, BinlogLocation at, CancellationToken cancellationToken)
    {
        foreach (var (target, members) in await shardTables.GroupsAsync(UpstreamAsync, cancellationToken))
            foreach (var (schema, table) in members)
            {
                if (schemas.Get(schema, table) is null && await schemas.LoadAsync(schema, table, control, UpstreamAsync, cancellationToken) is not null)
                    await checkpoint.WriteTableAsync(control, schema, table, schemas.CreateSql(schema, table)!, at, cancellationToken);
                // The structure checkpointed is where the shard stands: every operation that led to it is done (a done report
                // lost with a killed process is made good here; an operation past it is asked for again when its DDL is read).
                if (schemas.CreateSql(schema, table) is { } sql)
                    settings.ShardDdl.Done(new OptimisticShardDdl(settings.Config.Name, settings.Config.SourceId, schema, table, target.Schema,
                        target.Table, [], sql, sql, []));
            }
    }

    /// <summary>No checkpoint yet: resolves the start and records it as the first global row.</summary>
    private async Task<SyncCheckpoint> StartAsync(MySqlConnection control, CancellationToken cancellationToken)
    {
        var start = new SyncCheckpoint(await StartPoint.ResolveAsync(settings, UpstreamAsync, logger, cancellationToken), null);
        await checkpoint.WriteGlobalAsync(control, start, cancellationToken);
        return start;
    }

    /// <summary>The writers' connections, opened together (each costs a handshake and session settings: a task's start waits on them).</summary>
    private async Task<MySqlConnection[]> OpenWriterConnectionsAsync(CancellationToken cancellationToken)
    {
        var opening = Enumerable.Range(0, settings.Writers).Select(_ => OpenWriterAsync(cancellationToken)).ToList();
        try
        {
            return await Task.WhenAll(opening);
        }
        catch
        {
            foreach (var open in opening.Where(o => o.IsCompletedSuccessfully)) await open.Result.DisposeAsync();
            throw;
        }
    }

    /// <summary>A connection for DDL and checkpoints.</summary>
    private Task<MySqlConnection> OpenTargetAsync(CancellationToken cancellationToken) => OpenTargetAsync(strict: false, cancellationToken);

    /// <summary>A connection that writes rows: strict, so that a value the target would narrow stops the run instead.</summary>
    private Task<MySqlConnection> OpenWriterAsync(CancellationToken cancellationToken) => OpenTargetAsync(strict: true, cancellationToken);

    private Task<MySqlConnection> OpenTargetAsync(bool strict, CancellationToken cancellationToken) =>
        DataConnections.OpenAsync(settings.Target, cancellationToken, strict: strict, sessionStatements:
        [
            $"SET SESSION foreign_key_checks = {(settings.TargetForeignKeyChecks ? 1 : 0)}",
            // Writers touch disjoint keys; READ COMMITTED spares them gap locks on each other's inserts.
            "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
        ]);

    private async Task<MySqlConnection> UpstreamAsync(CancellationToken cancellationToken) =>
        _upstream ??= await DataConnections.OpenAsync(settings.Upstream, cancellationToken);
}
