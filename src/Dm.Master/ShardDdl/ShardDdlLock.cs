namespace Dm.Master.ShardDdl;

/// <summary>
/// DM's pessimistic shard-DDL lock of one target table of a task, as the cluster store keeps it: the DDLs every source must
/// reach, the owner (the first source that reached them: it executes them on the target once), the sources the lock waits
/// on, those that reached the DDLs (synced) and those that executed or skipped them (done).
/// </summary>
public sealed record ShardDdlLock : IShardDdlLockRecord
{
    public required string Id { get; init; }
    public required string Task { get; init; }
    public required string TargetSchema { get; init; }
    public required string TargetTable { get; init; }
    public required List<string> Ddls { get; init; }
    public required string Owner { get; set; }
    public required List<string> Sources { get; init; }
    public List<string> Synced { get; init; } = [];
    public List<string> Done { get; init; } = [];
    public bool OwnerDone { get; set; }

    /// <summary>
    /// Set by <c>shard-ddl-lock unlock</c>: the owner's operation is decided by hand (exec: the owner runs the DDL, skip: nobody
    /// does), and the sources that will never reach the DDL are no longer waited for.
    /// </summary>
    public bool Forced { get; set; }

    public bool AllSynced => Sources.All(Synced.Contains);

    public IReadOnlyList<string> Unsynced => Sources.Where(s => !Synced.Contains(s)).ToList();
}
