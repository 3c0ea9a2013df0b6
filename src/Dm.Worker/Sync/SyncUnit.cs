using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Dm.Binlog.Replication;
using Dm.Core.Errors;
using Dm.Core.Upstream;
using Dm.Worker.Errors;
using Dm.Worker.Sync.Checkpointing;
using Dm.Worker.Sync.Planning;
using Dm.Worker.Sync.Reading;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Sync;

/// <summary>
/// DM's Sync unit: replicates the upstream binlog into the target from the subtask's checkpoint. Each
/// <see cref="ProcessAsync"/> call is one run (<see cref="SyncRun"/>) rebuilt from what the target holds —
/// the global checkpoint, the tracked tables and the applied batches — so a pause, an error or a crash all
/// resume the same exact way. Never finishes by itself.
/// </summary>
public sealed partial class SyncUnit : IUnit, ISyncControl
{
    private readonly SyncSettings _settings;
    private readonly SyncCheckpointTable _checkpoint;
    private readonly TrackedSchemas _schemas;
    private readonly ILogger _logger;
    private SyncProgress _progress = new();
    private readonly ConcurrentDictionary<BinlogPosition, (SyncErrorOperation Operation, IReadOnlyList<string> Statements)> _errorOperations = new();
    // The event the last run stopped on; read by the master's queries while a run may set it (boxed: set atomically).
    private volatile StrongBox<BinlogPosition>? _blocked;

    private BinlogPosition? BlockedAt
    {
        get => _blocked?.Value;
        set => _blocked = value is { } p ? new StrongBox<BinlogPosition>(p) : null;
    }

    public SyncUnit(SyncSettings settings, ILogger logger)
    {
        _settings = settings;
        _logger = logger;
        _checkpoint = new SyncCheckpointTable(settings.Config.MetaSchema, settings.Config.Name, settings.Config.SourceId, settings.Fence);
        _schemas = new TrackedSchemas(settings.Config.CreateTableRouter(), settings.Config.SourceId);
    }

    public string Name => "Sync";

    internal SyncCheckpointTable Checkpoint => _checkpoint;

    public Dm.Core.Api.SyncStatus Status() => _progress.ToStatus();

    UnitStatus IUnit.Status() => new(Status());

    public Task InitAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Records the dump's positions as where this unit starts (unless it already has a checkpoint).</summary>
    public async Task RecordStartAsync(Dm.Worker.Dump.DumpMetadata dump, CancellationToken cancellationToken)
    {
        await using var target = await DataConnections.OpenAsync(_settings.Target, cancellationToken);
        await _checkpoint.WriteStartIfAbsentAsync(target, new SyncCheckpoint(dump.Position, dump.SafeModeExit), cancellationToken);
    }

    /// <summary>Whether the target already holds this subtask's sync checkpoint (then Dump and Load are done).</summary>
    public async Task<bool> HasCheckpointAsync(CancellationToken cancellationToken)
    {
        await using var target = await DataConnections.OpenAsync(_settings.Target, cancellationToken);
        return await _checkpoint.HasGlobalAsync(target, cancellationToken);
    }

    public async Task<UnitResult> ProcessAsync(CancellationToken cancellationToken)
    {
        // DM's binlog_type from the start of the run: the relay log when this worker pulls the source's, else the upstream.
        _progress = new SyncProgress { BinlogType = _settings.Relay is null ? "remote" : "local" };
        var run = new SyncRun(_settings, _checkpoint, _schemas, _progress, _errorOperations, _logger);
        try
        {
            BlockedAt = null;
            await run.RunAsync(cancellationToken);
            if (cancellationToken.IsCancellationRequested) return UnitResult.Paused;
            // Sync never finishes: a run that ends by itself lost its stream; the runner's auto-resume starts another.
            return UnitResult.Failed(DmErrors.ErrSyncerGetEvent.WithMessage("the binlog stream ended"), ErrorKind.Transient);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            return UnitResult.Paused;
        }
        catch (Exception e)
        {
            BlockedAt = run.BlockedAt;
            // The read loop already classified a binlog failure (it gave up reconnecting, or the error is not transient).
            var (error, kind) = e is BinlogReadException r ? (r.Error, r.Kind) : DatabaseErrorPolicy.ForUnit(e, DmErrors.ErrSyncerEvent);
            _logger.LogWarning("sync of {Task} stopped ({Kind}): {Error}", _settings.Config.Name, kind, error.Message);
            return UnitResult.Failed(error, kind);
        }
    }
}
