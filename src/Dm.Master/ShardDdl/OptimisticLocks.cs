using Dm.Contracts;
using Dm.Core.Errors;
using Dm.Master.State;
using Dm.Sql.Tracking;

namespace Dm.Master.ShardDdl;

/// <summary>
/// The master's optimistic shard-DDL coordinator (DM's optimist): one lock per task and target table, kept in the cluster store
/// (either store; it survives a master restart or a leader change), built from the infos workers send with their heartbeats.
/// For a shard table's DDL it joins the structures of every shard with the table before and after the DDL: when the joined
/// structure changes the source executes the DDL on the target (a widening at once; a narrowing once the last shard made it),
/// when it does not the source skips it, and when the structures cannot be joined the source stops with DM's 36062. An
/// operation is answered the same until the source reports it done (a worker that restarts mid-DDL gets it again). The lock
/// goes once every shard has the joined structure.
/// </summary>
public sealed class OptimisticLocks(MasterState state, ILogger<OptimisticLocks> logger)
{
    public const string LockPrefix = "/dm-master/shardddl-optimism/lock/";

    private readonly ShardDdlLockStore<OptimisticLock> _locks = new(state, LockPrefix);

    /// <summary>The locks of <paramref name="task"/>: deleting the task deletes them with it.</summary>
    public static string TaskLocksPrefix(string task) => MasterKeys.TaskLocks(LockPrefix, task);

    public Task<IReadOnlyList<OptimisticLock>> ListAsync(string? task, CancellationToken ct) => _locks.ListAsync(task, ct);

    public Task<OptimisticLock?> GetAsync(string task, string lockId, CancellationToken ct) => _locks.GetAsync(task, lockId, ct);

    private Task PutAsync(OptimisticLock l, CancellationToken ct) => _locks.PutAsync(l, ct);

    public Task DeleteAsync(OptimisticLock l, CancellationToken ct) => _locks.DeleteAsync(l, ct);

    /// <summary>The sources of the lock's task that have not sent an info: their shards have the initial structure.</summary>
    private async Task<List<string>> UnreportedAsync(OptimisticLock l, CancellationToken ct) =>
        (await state.TaskAsync(l.Task, ct))?.SourceNames.Where(s => !l.Reported.Contains(s)).ToList() ?? [];

    /// <summary>The joined structure of every shard (null when they conflict), and the sources whose shards all have it.</summary>
    public async Task<(JoinedSchema? Joined, List<string> Synced, List<string> Unsynced)> StateAsync(OptimisticLock l, CancellationToken ct)
    {
        var unreported = await UnreportedAsync(l, ct);
        var structures = l.Tables.Select(t => (t.Source, JoinedSchema.FromCreateTable(t.Structure))).ToList();
        var initial = JoinedSchema.FromCreateTable(l.Initial);
        structures.AddRange(unreported.Select(s => (s, initial)));
        JoinedSchema? joined;
        try { joined = JoinedSchema.JoinAll(structures.Select(s => s.Item2)); }
        catch (SchemaJoinConflictException) { return (null, [], [.. structures.Select(s => s.Item1).Distinct()]); }
        var unsynced = structures.Where(s => !s.Item2.Matches(joined)).Select(s => s.Item1)
            .Concat(l.Operations.Select(o => o.Source)).Distinct().Order(StringComparer.Ordinal).ToList();
        var synced = structures.Select(s => s.Item1).Distinct().Except(unsynced).Order(StringComparer.Ordinal).ToList();
        return (joined, synced, unsynced);
    }

    /// <summary>The operation for one optimistic info; the caller serializes the coordinator's changes.</summary>
    public async Task<ShardDdlOperation> HandleAsync(ShardDdlInfo info, ShardDdlOperation op, CancellationToken ct)
    {
        var l = await GetAsync(info.Task, op.LockId, ct);
        if (info.Done)
        {
            op.Action = ShardDdlAction.Resolved;
            if (l is null) return op;
            // The table is checkpointed with this structure: the operation that led to it is done (a worker that starts again
            // reports every shard so, which makes good a done report lost with a killed process).
            var done = l.Operations.RemoveAll(o => o.Source == info.Source && o.Schema == info.UpstreamSchema && o.Table == info.UpstreamTable
                                                   && o.After == info.TableAfter);
            if (done == 0 && info.Ddls.Count == 0) return op;
            if ((await StateAsync(l, ct)).Unsynced.Count == 0)
            {
                await DeleteAsync(l, ct);
                logger.LogInformation("optimistic shard DDL lock {Lock} resolved: every shard has the joined structure", l.Id);
            }
            else await PutAsync(l, ct);
            return op;
        }
        if (await state.TaskAsync(info.Task, ct) is not { } task)
            return Wait(op, $"task {info.Task} is not known to the master");
        l ??= new OptimisticLock
        {
            Id = op.LockId, Task = info.Task, TargetSchema = info.TargetSchema, TargetTable = info.TargetTable, Initial = info.TableBefore,
        };
        if (!l.Reported.Contains(info.Source)) l.Reported.Add(info.Source);
        foreach (var member in info.Members)
            if (l.Table(info.Source, member.Schema, member.Table) is null)
                l.Tables.Add(new OptimisticShardTable { Source = info.Source, Schema = member.Schema, Table = member.Table, Structure = l.Initial });
        var table = l.Table(info.Source, info.UpstreamSchema, info.UpstreamTable);
        if (table is null)
            l.Tables.Add(table = new OptimisticShardTable { Source = info.Source, Schema = info.UpstreamSchema, Table = info.UpstreamTable, Structure = info.TableBefore });
        var pending = l.Operations.FirstOrDefault(o => o.Source == info.Source && o.Schema == info.UpstreamSchema && o.Table == info.UpstreamTable);
        if (pending is not null && pending.After == info.TableAfter)
        {
            // Asked again (the worker restarted before it reported done): the same answer.
            op.Action = pending.Exec ? ShardDdlAction.Exec : ShardDdlAction.Skip;
            return op;
        }
        if (pending is not null) l.Operations.Remove(pending); // its done report was lost: the table has moved past it

        // The shard's own account of its structure before the DDL is what it has (binlog-schema update may have changed it).
        table.Structure = info.TableBefore;
        var others = l.Tables.Where(t => !ReferenceEquals(t, table)).Select(t => JoinedSchema.FromCreateTable(t.Structure)).ToList();
        var initial = JoinedSchema.FromCreateTable(l.Initial);
        others.AddRange((await UnreportedAsync(l, ct)).Select(_ => initial));
        string? before;
        try { before = JoinedSchema.JoinAll(others.Append(JoinedSchema.FromCreateTable(info.TableBefore))).Fingerprint; }
        catch (SchemaJoinConflictException) { before = null; }
        JoinedSchema after;
        try
        {
            after = JoinedSchema.JoinAll(others.Append(JoinedSchema.FromCreateTable(info.TableAfter)));
        }
        catch (SchemaJoinConflictException e)
        {
            var ddls = string.Join("; ", info.Ddls);
            l.Conflict = $"`{info.UpstreamSchema}`.`{info.UpstreamTable}` of source {info.Source}: [{ddls}]: {e.Message}";
            await PutAsync(l, ct);
            logger.LogWarning("optimistic shard DDL lock {Lock}: conflict from {Conflict}", l.Id, l.Conflict);
            // DM's non-strict mode would hold the table until the other shards resolve the conflict; DM# stops as strict mode does.
            var strict = task.Task.StrictOptimisticShardMode == true ? "strict optimistic shard mode: "
                : "(DM# does not wait for the other shards to resolve a conflict: the subtask stops as in strict mode) ";
            op.Action = ShardDdlAction.Error;
            op.ErrorCode = DmErrors.ErrSyncerShardDDLConflict.Code;
            op.Message = $"fail to handle shard ddl [{ddls}] in optimistic mode, because schema conflict detected, conflict error: {strict}{e.Message} " +
                         $"(lock {l.Id}: set the table's structure with `binlog-schema update` and skip or replace this DDL with `binlog skip` / " +
                         "`binlog replace`, then resume the task)";
            return op;
        }
        table.Structure = info.TableAfter;
        var exec = before != after.Fingerprint;
        if (info.Ddls.Count > 0)
        {
            l.Operations.Add(new OptimisticOperation
            {
                Source = info.Source, Schema = info.UpstreamSchema, Table = info.UpstreamTable, After = info.TableAfter, Exec = exec,
            });
            l.Ddls = [.. info.Ddls];
        }
        l.Conflict = null;
        await PutAsync(l, ct);
        logger.LogInformation("optimistic shard DDL lock {Lock}: [{Ddls}] of `{Schema}`.`{Table}` from {Source}: {Action}", l.Id,
            string.Join("; ", info.Ddls), info.UpstreamSchema, info.UpstreamTable, info.Source, exec ? "execute" : "skip");
        op.Action = exec ? ShardDdlAction.Exec : ShardDdlAction.Skip;
        return op;
    }

    /// <summary>
    /// binlog-schema update with sync (DM's resolution of a conflict): the shard table's structure, as the user set it in the
    /// source's tracker, replaces the one the task's lock holding the table has; a lock whose shards then all have the joined
    /// structure goes. A table no lock holds needs nothing.
    /// </summary>
    public async Task SyncTableAsync(string task, string source, string schema, string table, string createSql, CancellationToken ct)
    {
        foreach (var l in await ListAsync(task, ct))
        {
            if (l.Table(source, schema, table) is not { } held) continue;
            held.Structure = createSql;
            var (joined, _, unsynced) = await StateAsync(l, ct);
            if (joined is not null) l.Conflict = null;
            if (joined is not null && unsynced.Count == 0) await DeleteAsync(l, ct);
            else await PutAsync(l, ct);
            logger.LogInformation("optimistic shard DDL lock {Lock}: structure of `{Schema}`.`{Table}` of {Source} set by hand", l.Id, schema, table, source);
        }
    }

    /// <summary><paramref name="source"/> left <paramref name="task"/>: its shards no longer count in the task's locks.</summary>
    public async Task ForgetSourceAsync(string task, string source, CancellationToken ct)
    {
        foreach (var l in await ListAsync(task, ct))
        {
            l.Tables.RemoveAll(t => t.Source == source);
            l.Reported.Remove(source);
            l.Operations.RemoveAll(o => o.Source == source);
            if (l.Tables.Count == 0 || (await StateAsync(l, ct)).Unsynced.Count == 0) await DeleteAsync(l, ct);
            else await PutAsync(l, ct);
        }
    }

    private static ShardDdlOperation Wait(ShardDdlOperation op, string message)
    {
        op.Action = ShardDdlAction.Wait;
        op.Message = message;
        return op;
    }
}
