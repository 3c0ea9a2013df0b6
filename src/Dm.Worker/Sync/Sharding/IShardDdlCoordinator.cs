namespace Dm.Worker.Sync.Sharding;

/// <summary>
/// A sharding group of this source reached the same DDL on every member: the info the master's lock for the target table
/// is built from (DM's pessimistic shard DDL info).
/// </summary>
public sealed record ShardDdlLockRequest(string Task, string Source, string TargetSchema, string TargetTable, IReadOnlyList<string> Ddls)
{
    /// <summary>DM's lock ID: <c>task-`schema`.`table`</c>.</summary>
    public string LockId => LockIdOf(Task, TargetSchema, TargetTable);

    public static string LockIdOf(string task, string schema, string table) =>
        $"{task}-`{schema.Replace("`", "``", StringComparison.Ordinal)}`.`{table.Replace("`", "``", StringComparison.Ordinal)}`";
}

/// <summary>
/// DM's optimistic shard DDL info: one upstream table of this source ran <paramref name="Ddls"/> (routed to the target), its
/// structure before and after them (CREATE TABLE text), and the tables of this source routed to the same target. The master
/// answers exec (the DDL changes the joined structure of all shards: run it on the target), skip (it does not, or not yet) or
/// an error (it conflicts with another shard's structure).
/// </summary>
public sealed record OptimisticShardDdl(string Task, string Source, string UpstreamSchema, string UpstreamTable, string TargetSchema,
    string TargetTable, IReadOnlyList<string> Ddls, string Before, string After, IReadOnlyList<(string Schema, string Table)> Members)
{
    public string LockId => ShardDdlLockRequest.LockIdOf(Task, TargetSchema, TargetTable);
}

/// <summary>
/// The master's operation for this source in a DDL lock: execute the DDLs on the target (the owner) or skip them (the
/// others, once the owner has); or an error that pauses the subtask (the DDLs differ between sources).
/// </summary>
public sealed record ShardDdlDecision(string LockId, bool Exec, string? Error = null, int ErrorCode = 0);

/// <summary>
/// The worker's side of DM's pessimistic shard-DDL lock: sends the group's info to the master, waits for this source's
/// operation, and reports the operation done once the DDL is executed or skipped and checkpointed.
/// </summary>
public interface IShardDdlCoordinator
{
    /// <summary>Sends the info and waits for the operation, as long as it takes (the subtask shows the blocking DDL meanwhile).</summary>
    Task<ShardDdlDecision> LockAsync(ShardDdlLockRequest request, CancellationToken cancellationToken);

    /// <summary>This source executed or skipped the lock's DDL and checkpointed past it: sent until the master acknowledges.</summary>
    void Done(ShardDdlLockRequest request);

    /// <summary>Optimistic mode: sends the table's info and waits for the master's operation (as long as it takes).</summary>
    Task<ShardDdlDecision> TrySyncAsync(OptimisticShardDdl request, CancellationToken cancellationToken);

    /// <summary>Optimistic mode: the table's DDL was executed or skipped and checkpointed past: sent until the master acknowledges.</summary>
    void Done(OptimisticShardDdl request);

    /// <summary>What a subtask of <paramref name="task"/> waits on now (lock ID and the master's reason), for query-status.</summary>
    IReadOnlyList<(string LockId, string Ddls, string Waiting)> Waiting(string task);
}

/// <summary>No master to coordinate with (unit tests of a lone Sync unit): a lone source owns every lock.</summary>
public sealed class LoneShardDdlCoordinator : IShardDdlCoordinator
{
    public static readonly LoneShardDdlCoordinator Instance = new();

    public Task<ShardDdlDecision> LockAsync(ShardDdlLockRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new ShardDdlDecision(request.LockId, Exec: true));

    public void Done(ShardDdlLockRequest request) { }

    public Task<ShardDdlDecision> TrySyncAsync(OptimisticShardDdl request, CancellationToken cancellationToken) =>
        Task.FromResult(new ShardDdlDecision(request.LockId, Exec: true));

    public void Done(OptimisticShardDdl request) { }

    public IReadOnlyList<(string LockId, string Ddls, string Waiting)> Waiting(string task) => [];
}
