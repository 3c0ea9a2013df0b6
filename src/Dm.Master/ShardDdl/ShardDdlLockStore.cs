using System.Text.Json;
using Dm.Master.State;

namespace Dm.Master.ShardDdl;

/// <summary>What the cluster store keys a shard-DDL lock record by: its task and its id.</summary>
public interface IShardDdlLockRecord
{
    string Task { get; }
    string Id { get; }
}

/// <summary>
/// The locks of one shard-DDL mode (pessimistic <see cref="ShardDdlLock"/>, optimistic <see cref="OptimisticLock"/>) in the
/// cluster store: one JSON record (<see cref="StateJson"/>) per lock at <c>{root}{hex task}/{hex lock id}</c>, so that a task's
/// locks are one prefix, deleted with the task (<see cref="MasterKeys.TaskLocks"/>).
/// </summary>
public sealed class ShardDdlLockStore<T>(MasterState state, string root) where T : class, IShardDdlLockRecord
{
    private string Key(string task, string lockId) => MasterKeys.TaskLocks(root, task) + MasterKeys.Hex(lockId);

    /// <summary>Every lock, or those of <paramref name="task"/>, by id.</summary>
    public async Task<IReadOnlyList<T>> ListAsync(string? task, CancellationToken ct) =>
        (await state.Store.GetPrefixAsync(task is null ? root : MasterKeys.TaskLocks(root, task), ct)).Kvs
            .Select(kv => JsonSerializer.Deserialize<T>(kv.Value, StateJson.Options)!).Where(l => task is null || l.Task == task)
            .OrderBy(l => l.Id, StringComparer.Ordinal).ToList();

    public async Task<T?> GetAsync(string task, string lockId, CancellationToken ct)
    {
        var kv = (await state.Store.GetAsync(Key(task, lockId), ct)).Kv;
        return kv is null ? null : JsonSerializer.Deserialize<T>(kv.Value, StateJson.Options);
    }

    public Task PutAsync(T l, CancellationToken ct) =>
        state.Store.PutAsync(Key(l.Task, l.Id), JsonSerializer.SerializeToUtf8Bytes(l, StateJson.Options), ct: ct);

    public Task DeleteAsync(T l, CancellationToken ct) => state.Store.DeleteAsync(Key(l.Task, l.Id), ct);
}
