using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;
using Dm.Core.Errors;
using Dm.Core.Config;
using Dm.Core.Upstream;
using Dm.Worker.Units;

namespace Dm.Worker.Sync;

/// <summary>Everything one subtask's Sync unit runs with, resolved once.</summary>
public sealed record SyncSettings(SubTaskConfig Config, SourceConfig Source, DatabaseEndpoint Upstream, DatabaseEndpoint Target)
{
    /// <summary>The binding epoch every checkpoint write carries (DM#'s fencing); none outside a cluster.</summary>
    public Dm.Worker.Checkpoints.TargetFence Fence { get; init; } = Dm.Worker.Checkpoints.TargetFence.None;

    /// <summary>The task's start_time from start-task, as given (local times are the upstream's), or null.</summary>
    public string? StartTime { get; init; }

    /// <summary>The master's pessimistic shard-DDL locks (a lone source owns every lock when there is no master).</summary>
    public Sharding.IShardDdlCoordinator ShardDdl { get; init; } = Sharding.LoneShardDdlCoordinator.Instance;

    /// <summary>Whether the subtask merges shards with DM's pessimistic shard-DDL coordination.</summary>
    public bool Pessimistic => Config.IsSharding && Config.ShardMode == "pessimistic";

    /// <summary>Whether the subtask merges shards with DM's optimistic shard-DDL coordination (the master joins the shards' structures).</summary>
    public bool Optimistic => Config.IsSharding && Config.ShardMode == "optimistic";

    /// <summary>safe_mode_time_duration from start-task: safe mode until this long after the first event.</summary>
    public TimeSpan? SafeModeDuration { get; init; }

    /// <summary>
    /// How long a run writes in safe mode from its first event: start-task's <see cref="SafeModeDuration"/>, else the task's
    /// <c>syncers.safe-mode-duration</c> when it is not DM's default (2 × checkpoint-flush-interval) nor 0s. DM enters that
    /// automatic safe mode only after an unclean stop, to replay what its checkpoint may have missed; DM#'s checkpoints are
    /// exact, so the default window is never needed, and a window the task asks for is run after every start (a superset:
    /// safe mode only rewrites rows idempotently).
    /// </summary>
    public TimeSpan? EffectiveSafeModeDuration =>
        SafeModeDuration ?? (GoDuration.TryParse(Config.Syncer.SafeModeDuration, out var asked) && asked > TimeSpan.Zero
            && asked != Config.Syncer.DefaultSafeModeDuration ? asked : null);

    /// <summary>How often the global checkpoint is written (DM's checkpoint-flush-interval, capped: ours is exact anyway).</summary>
    public TimeSpan FlushInterval => TimeSpan.FromSeconds(Math.Clamp(Config.Syncer.CheckpointFlushInterval, 1, 5));

    public int Writers => Math.Max(1, Config.Syncer.WorkerCount);

    /// <summary>Batch size, writer queue and rows per statement (DM's <c>batch</c>, <c>queue-size</c>, <c>multiple-rows</c>).</summary>
    internal Dm.Worker.Sync.Applying.WriterShape Shape => Dm.Worker.Sync.Applying.WriterShape.Of(Config.Syncer);

    /// <summary>Whether changes to a table may be collapsed by key in a batch (DM's <c>compact</c>; never while the target checks foreign keys).</summary>
    public bool Compact => Config.Syncer.Compact && !TargetForeignKeyChecks;

    /// <summary>The relay log this worker pulls of the source, which Sync then reads instead of the upstream; null for none.</summary>
    internal Relay.RelayLog? Relay { get; init; }

    /// <summary>Row changes after which a transaction is applied alone, streamed, instead of buffered.</summary>
    public int LargeTransactionRows { get; init; } = 50_000;

    public bool TargetForeignKeyChecks => Config.To.ForeignKeyChecksOn;

    /// <summary>
    /// The source's server-id, offset by a stable hash of the task name: two tasks on one source are two replicas to
    /// the upstream, and a server drops the older of two replicas with the same id.
    /// </summary>
    public uint ReplicaServerId => UpstreamReplica.ServerId(Source.ServerId, Config.Name);

    /// <summary>The flavor of the source's GTIDs (its configured flavor; MySQL unless it says MariaDB).</summary>
    public GtidFlavor GtidFlavor => string.Equals(Source.Flavor, ServerFlavor.MariaDb, StringComparison.OrdinalIgnoreCase)
        ? GtidFlavor.MariaDb : GtidFlavor.MySql;

    /// <summary>
    /// How to read the binlog from <paramref name="start"/> (the oldest binlog when null), as DM decides it: after its GTID set
    /// when the source has <c>enable-gtid</c> and the start has a set; otherwise from its file and position, the set (when
    /// known) seeding the GTIDs the client counts from. DM's 20011 for a start with a GTID set only while GTID is off.
    /// </summary>
    public BinlogClientOptions ClientOptions(BinlogLocation? start)
    {
        var options = UpstreamReplica.Options(Upstream, ReplicaServerId);
        if (start is null) return options;
        if (Source.EnableGtid && start.GtidSet is { IsEmpty: false } gtid) return options with { StartGtid = gtid };
        if (!start.HasPosition) throw DmErrors.ErrConfigMetaInvalid.New();
        return options with { StartPosition = start.Position, StartGtid = start.GtidSet };
    }
}
