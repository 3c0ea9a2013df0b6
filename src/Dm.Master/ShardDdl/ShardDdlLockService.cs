using Dm.Core.Api;
using Dm.Core.Errors;
using Dm.Master.State;
using Dm.Master.Workers;

namespace Dm.Master.ShardDdl;

/// <summary>
/// shard-ddl-lock (show-ddl-locks) and shard-ddl-lock unlock (unlock-ddl-lock): the open locks of a task with why each waits,
/// and the one command that resolves a lock that will never complete by itself.
/// </summary>
public sealed class ShardDdlLockService(ShardDdlLocks locks, OptimisticLocks optimistic, MasterState state, WorkerStatusBoard statuses)
{
    public async Task<ShardDdlLockListResponse> ListAsync(string? task, CancellationToken ct)
    {
        if (task is not null && await state.TaskAsync(task, ct) is null) throw DmErrors.ErrSchedulerTaskNotExist.New(task);
        var data = new List<ShardDdlLockView>();
        foreach (var l in await locks.ListAsync(task, ct)) data.Add(await ViewAsync(l, ct));
        foreach (var l in await optimistic.ListAsync(task, ct)) data.Add(await ViewAsync(l, ct));
        return new ShardDdlLockListResponse { Total = data.Count, Data = data };
    }

    private async Task<ShardDdlLockView> ViewAsync(ShardDdlLock l, CancellationToken ct) => new()
    {
        Id = l.Id, Task = l.Task, Mode = "pessimistic", Owner = l.Owner, Ddls = l.Ddls, Synced = l.Synced, Unsynced = [.. l.Unsynced], Done = l.Done,
        Reason = await ReasonAsync(l, ct),
    };

    /// <summary>
    /// An optimistic lock: synced are the sources whose shards all have the joined structure; the reason names the conflict,
    /// or the shard tables that do not have the joined structure yet (a narrowing DDL waits for them).
    /// </summary>
    private async Task<ShardDdlLockView> ViewAsync(OptimisticLock l, CancellationToken ct)
    {
        var (joined, synced, unsynced) = await optimistic.StateAsync(l, ct);
        var reason = l.Conflict is { } conflict
            ? $"conflict: {conflict}; resolve it with `binlog-schema update` and `binlog skip` (or `binlog replace`) on that source, then resume"
            : joined is null
                ? "the shards' structures cannot be joined (a conflict was skipped by hand): set the structures with `binlog-schema update`"
                : $"joined structure ({joined}); shard tables without it yet: " + string.Join(", ",
                    l.Tables.Where(t => !Sql.Tracking.JoinedSchema.FromCreateTable(t.Structure).Matches(joined))
                        .Select(t => $"{t.Source} `{t.Schema}`.`{t.Table}`")
                        .Concat(unsynced.Where(s => !l.Reported.Contains(s)).Select(s => $"every table of {s}")));
        return new ShardDdlLockView
        {
            Id = l.Id, Task = l.Task, Mode = "optimistic", Owner = "", Ddls = l.Ddls, Synced = synced, Unsynced = unsynced, Done = [], Reason = reason,
        };
    }

    /// <summary>Why <paramref name="l"/> waits; for a wait that will not end by itself, the command that ends it.</summary>
    public async Task<string> ReasonAsync(ShardDdlLock l, CancellationToken ct)
    {
        var unlock = $"resolve it with `shard-ddl-lock unlock {l.Id}` (--action exec to have owner {l.Owner} run the DDLs, skip otherwise)";
        if (l.Forced) return "unlocked by hand: waiting for the synced sources to execute or skip the DDLs";
        if (l.AllSynced) return l.OwnerDone ? "the owner executed the DDLs: waiting for the other sources to skip them" : $"owner {l.Owner} executes the DDLs";
        var task = await state.TaskAsync(l.Task, ct);
        var bounds = await state.BoundsAsync(ct);
        var stages = (await state.StagesAsync(ct)).Where(s => s.Task == l.Task).ToDictionary(s => s.Source, s => s.Expect, StringComparer.Ordinal);
        var remove = $"remove it from the task (update the task without it: the lock then no longer waits on it), or {unlock}";
        var reasons = new List<string>();
        foreach (var source in l.Unsynced)
        {
            if (task is null || !task.SourceNames.Contains(source))
                reasons.Add($"source {source} is no longer in the task and will never reach the DDLs: {unlock}");
            else if (stages.GetValueOrDefault(source) is TaskStage.Stopped or TaskStage.Paused)
                reasons.Add($"source {source} is {stages[source].ToString().ToLowerInvariant()} and does not read its binlog: start it, or {remove}");
            else if (!bounds.ContainsKey(source))
                reasons.Add($"source {source} has no worker bound: it reaches the DDLs once a worker serves it again, or {unlock}");
            else
            {
                var status = statuses.Find(bounds[source], l.Task, source);
                reasons.Add(status is { ErrorMsg.Length: > 0 }
                    ? $"source {source} is paused ({status.ErrorMsg}): resume it, or {unlock}"
                    : $"waiting for source {source} to reach the DDLs on all its shards (a shard that never gets the DDL keeps it waiting: " +
                      $"run the DDL on that shard, {remove})");
            }
        }
        return string.Join("; ", reasons);
    }

    public async Task<ShardDdlLockView> UnlockAsync(string task, string lockId, ShardDdlLockUnlockRequest request, CancellationToken ct)
    {
        var action = request.Action ?? "skip";
        if (action is not ("skip" or "exec"))
            throw DmErrors.ErrVerifyHandleErrorArgs.WithMessage($"invalid unlock action \"{action}\": expected skip or exec");
        return await locks.SerializedAsync(async () =>
        {
            if (await optimistic.GetAsync(task, lockId, ct) is { } o)
            {
                // Nothing waits on an optimistic lock; removing it forgets the shards' structures (the next DDL starts it anew).
                if (request.ForceRemove != true)
                    throw DmErrors.ErrVerifyHandleErrorArgs.WithMessage(
                        $"lock {lockId} is optimistic: no DDL waits on it (a conflict pauses the subtask and is resolved with `binlog-schema update` " +
                        "and `binlog skip`); only --force-remove applies, which forgets the shards' structures it holds");
                var view = await ViewAsync(o, ct);
                await optimistic.DeleteAsync(o, ct);
                return view;
            }
            var l = await locks.GetAsync(task, lockId, ct)
                    ?? throw DmErrors.ErrMasterLockNotFound.WithMessage($"shard DDL lock {lockId} of task {task} not found");
            if (request.Owner is { Length: > 0 } owner)
            {
                if (!l.Synced.Contains(owner))
                    throw DmErrors.ErrMasterLockNotFound.WithMessage($"source {owner} has not reached the DDLs of lock {lockId}: it cannot own it (synced: {string.Join(", ", l.Synced)})");
                l.Owner = owner;
            }
            l.Forced = true;
            if (request.ForceRemove == true || action == "skip") l.OwnerDone = true;
            if (l.Synced.All(l.Done.Contains)) await locks.DeleteAsync(l, ct);
            else await locks.PutAsync(l, ct);
            return await ViewAsync(l, ct);
        }, ct);
    }
}
