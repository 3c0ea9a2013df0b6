using Dm.Binlog.Replication;
using Dm.Core.Config;
using Dm.Core.Upstream;

namespace Dm.Worker.Sync;

/// <summary>Everything one subtask's Sync unit runs with, resolved once.</summary>
public sealed record SyncSettings(SubTaskConfig Config, SourceConfig Source, DatabaseEndpoint Upstream, DatabaseEndpoint Target)
{
    /// <summary>The task's start_time from start-task, as given (local times are the upstream's), or null.</summary>
    public string? StartTime { get; init; }

    /// <summary>safe_mode_time_duration from start-task: safe mode until this long after the first event.</summary>
    public TimeSpan? SafeModeDuration { get; init; }

    /// <summary>How often the global checkpoint is written (DM's checkpoint-flush-interval, capped: ours is exact anyway).</summary>
    public TimeSpan FlushInterval => TimeSpan.FromSeconds(Math.Clamp(Config.Syncer.CheckpointFlushInterval, 1, 5));

    public int Writers => Math.Max(1, Config.Syncer.WorkerCount);

    public int BatchStatements => Math.Max(1, Config.Syncer.Batch);

    /// <summary>Row changes after which a transaction is applied alone, streamed, instead of buffered.</summary>
    public int LargeTransactionRows { get; init; } = 50_000;

    public bool TargetForeignKeyChecks => Config.To.ForeignKeyChecksOn;

    /// <summary>
    /// The source's server-id, offset by a stable hash of the task name: two tasks on one source are two replicas to
    /// the upstream, and a server drops the older of two replicas with the same id.
    /// </summary>
    public uint ReplicaServerId
    {
        get
        {
            var hash = 2166136261u;
            foreach (var c in Config.Name) hash = (hash ^ c) * 16777619u;
            var baseId = Source.ServerId != 0 ? Source.ServerId : 429_000_000u;
            return (uint)((baseId + hash % 100_000) % 4_294_000_000u) + 1;
        }
    }

    public BinlogClientOptions ClientOptions(Dm.Binlog.Replication.BinlogPosition? start) => new()
    {
        Host = Upstream.Host,
        Port = Upstream.Port,
        User = Upstream.User,
        Password = Upstream.Password,
        ServerId = ReplicaServerId,
        StartPosition = start,
        HeartbeatPeriod = TimeSpan.FromSeconds(1),
        Tls = Upstream.UsesTls ? TlsMode.Required : TlsMode.Preferred,
    };
}
