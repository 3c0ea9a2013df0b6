using Dm.ClusterState;
using Dm.Contracts;
using Dm.Core.Errors;
using Dm.Master.State;

namespace Dm.Master.ShardDdl;

/// <summary>
/// The master's shard-DDL coordinator: optimistic infos go to <see cref="OptimisticLocks"/>; the rest is DM's pessimist, which builds one lock per task and target table from the
/// infos workers send with their heartbeats, keeps it in the cluster store (so it survives a master restart or a leader
/// change, on either store), and answers each info with the source's operation: wait, execute (the owner, once every
/// source of the task reached the same DDLs), skip (the others, once the owner executed them), or an error (the source
/// reached other DDLs than the lock's). The lock is deleted once every source reported its operation done.
/// </summary>
public sealed class ShardDdlLocks(MasterState state, OptimisticLocks optimistic, ILogger<ShardDdlLocks> logger)
{
    public const string LockPrefix = "/dm-master/shardddl-pessimism/lock/";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ShardDdlLockStore<ShardDdlLock> _locks = new(state, LockPrefix);

    /// <summary>The locks of <paramref name="task"/>: deleting the task deletes them with it (its subtasks no longer wait on them).</summary>
    public static string TaskLocksPrefix(string task) => MasterKeys.TaskLocks(LockPrefix, task);

    /// <summary>
    /// <paramref name="source"/> was removed from <paramref name="task"/>: its locks no longer wait on it (nor on its done, as
    /// owner another synced source takes over). A lock that then has every source it waits on synced goes on.
    /// </summary>
    public Task ForgetSourceAsync(string task, string source, CancellationToken ct) => SerializedAsync(async () =>
    {
        await optimistic.ForgetSourceAsync(task, source, ct);
        foreach (var l in await ListAsync(task, ct))
        {
            if (!l.Sources.Remove(source)) continue;
            l.Synced.Remove(source);
            l.Done.Remove(source);
            if (l.Owner == source && !l.OwnerDone && l.Synced.Count > 0) l.Owner = l.Synced[0];
            if (l.Sources.Count == 0 || l.Synced.Count == 0 && l.Forced || l.Sources.All(l.Done.Contains)) await DeleteAsync(l, ct);
            else await PutAsync(l, ct);
            logger.LogInformation("shard DDL lock {Lock}: source {Source} left task {Task}, the lock no longer waits on it", l.Id, source, task);
        }
        return true;
    }, ct);

    /// <summary>binlog-schema update with sync: the structure of a shard table in the task's optimistic locks (see <see cref="OptimisticLocks.SyncTableAsync"/>).</summary>
    public Task SyncOptimisticTableAsync(string task, string source, string schema, string table, string createSql, CancellationToken ct) =>
        SerializedAsync(async () =>
        {
            await optimistic.SyncTableAsync(task, source, schema, table, createSql, ct);
            return true;
        }, ct);

    public static string LockId(string task, string schema, string table) =>
        $"{task}-`{schema.Replace("`", "``", StringComparison.Ordinal)}`.`{table.Replace("`", "``", StringComparison.Ordinal)}`";

    /// <summary>Every open lock, or those of <paramref name="task"/>.</summary>
    public Task<IReadOnlyList<ShardDdlLock>> ListAsync(string? task, CancellationToken ct) => _locks.ListAsync(task, ct);

    public Task<ShardDdlLock?> GetAsync(string task, string lockId, CancellationToken ct) => _locks.GetAsync(task, lockId, ct);

    public Task PutAsync(ShardDdlLock l, CancellationToken ct) => _locks.PutAsync(l, ct);

    public Task DeleteAsync(ShardDdlLock l, CancellationToken ct) => _locks.DeleteAsync(l, ct);

    /// <summary>Runs <paramref name="action"/> alone among the coordinator's changes.</summary>
    public async Task<T> SerializedAsync<T>(Func<Task<T>> action, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try { return await action(); }
        finally { _gate.Release(); }
    }

    /// <summary>The operation for one info of a worker whose bound source is <paramref name="boundSource"/>.</summary>
    public Task<ShardDdlOperation> HandleAsync(ShardDdlInfo info, string? boundSource, CancellationToken ct) =>
        SerializedAsync(() => HandleLockedAsync(info, boundSource, ct), ct);

    private async Task<ShardDdlOperation> HandleLockedAsync(ShardDdlInfo info, string? boundSource, CancellationToken ct)
    {
        var id = LockId(info.Task, info.TargetSchema, info.TargetTable);
        var op = new ShardDdlOperation { Task = info.Task, TargetSchema = info.TargetSchema, TargetTable = info.TargetTable, LockId = id };
        if (info.Source != boundSource)
            return Error(op, DmErrors.ErrMasterWorkerNotWaitLock, $"worker for source {info.Source} not waiting for DDL lock {id}: the worker is not bound to that source");
        if (info.Optimistic) return await optimistic.HandleAsync(info, op, ct);
        var l = await GetAsync(info.Task, id, ct);
        if (info.Done)
        {
            // A report of another lock of the table (a worker restarted reports its last resolution again) changes nothing.
            if (l is null || !l.Synced.Contains(info.Source) || !l.Ddls.SequenceEqual(info.Ddls, StringComparer.Ordinal)
                || l.Done.Contains(info.Source) && !l.Sources.Except(l.Done).Any())
            {
                op.Action = ShardDdlAction.Resolved;
                return op;
            }
            if (!l.Done.Contains(info.Source)) l.Done.Add(info.Source);
            if (info.Source == l.Owner) l.OwnerDone = true;
            if (l.Sources.All(l.Done.Contains) || l.Forced && l.Synced.All(l.Done.Contains))
            {
                await DeleteAsync(l, ct);
                logger.LogInformation("shard DDL lock {Lock} resolved: [{Ddls}] executed by {Owner}", id, string.Join("; ", l.Ddls), l.Owner);
            }
            else await PutAsync(l, ct);
            op.Action = ShardDdlAction.Resolved;
            return op;
        }
        if (l is null)
        {
            var task = await state.TaskAsync(info.Task, ct);
            if (task is null)
                return Wait(op, $"task {info.Task} is not known to the master");
            l = new ShardDdlLock
            {
                Id = id, Task = info.Task, TargetSchema = info.TargetSchema, TargetTable = info.TargetTable, Ddls = [.. info.Ddls],
                Owner = info.Source, Sources = [.. task.SourceNames], Synced = [info.Source],
            };
            await PutAsync(l, ct);
            logger.LogInformation("shard DDL lock {Lock} created by {Source}: [{Ddls}], waiting for {Sources}", id, info.Source,
                string.Join("; ", l.Ddls), string.Join(", ", l.Unsynced));
        }
        else if (l.Done.Contains(info.Source) || !l.Ddls.SequenceEqual(info.Ddls, StringComparer.Ordinal) && l.Synced.Contains(info.Source)
                 && (l.AllSynced || l.Forced) && (info.Source == l.Owner || l.OwnerDone))
        {
            // This source was told to execute or skip the lock's DDLs and went on: its done report is on its way.
            return Wait(op, $"the previous DDL of lock {id} is not resolved on every source yet (done: {string.Join(", ", l.Done)})");
        }
        else if (!l.Ddls.SequenceEqual(info.Ddls, StringComparer.Ordinal))
        {
            return Error(op, DmErrors.ErrMasterShardingDDLDiff,
                $"sharding ddls in ddl lock {id} are different: the lock holds [{string.Join("; ", l.Ddls)}] (from {l.Owner}), source {info.Source} " +
                $"reached [{string.Join("; ", info.Ddls)}]; in pessimistic mode every shard must run the same DDLs in the same order " +
                $"(binlog skip/replace on this source, or shard-ddl-lock unlock {id})");
        }
        else if (!l.Synced.Contains(info.Source))
        {
            l.Synced.Add(info.Source);
            if (!l.Sources.Contains(info.Source)) l.Sources.Add(info.Source);
            await PutAsync(l, ct);
        }
        if (!l.AllSynced && !l.Forced)
            return Wait(op, $"waiting for sources {string.Join(", ", l.Unsynced)} to reach [{string.Join("; ", l.Ddls)}] (owner {l.Owner})");
        if (info.Source == l.Owner && !l.OwnerDone)
        {
            op.Action = ShardDdlAction.Exec;
            return op;
        }
        if (l.OwnerDone)
        {
            op.Action = ShardDdlAction.Skip;
            return op;
        }
        return Wait(op, $"owner {l.Owner} executes [{string.Join("; ", l.Ddls)}]");
    }

    private static ShardDdlOperation Wait(ShardDdlOperation op, string message)
    {
        op.Action = ShardDdlAction.Wait;
        op.Message = message;
        return op;
    }

    private static ShardDdlOperation Error(ShardDdlOperation op, DmError error, string message)
    {
        op.Action = ShardDdlAction.Error;
        op.ErrorCode = error.Code;
        op.Message = message;
        return op;
    }
}
