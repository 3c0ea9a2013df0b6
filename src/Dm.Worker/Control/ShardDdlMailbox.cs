using Dm.Contracts;
using Dm.Worker.Sync.Sharding;

namespace Dm.Worker.Control;

/// <summary>
/// The shard-DDL infos of this worker's subtasks, carried up with every heartbeat (<see cref="Infos"/>), and the master's
/// operations, handed back from the heartbeat's answer (<see cref="Answer"/>) to the Sync unit that waits on them. An info
/// is sent again with every heartbeat until the master answers it, so a master restart or a leader change loses nothing.
/// Pessimistic infos are one per sharding group (target table); optimistic ones one per upstream table.
/// </summary>
public sealed class ShardDdlMailbox : IShardDdlCoordinator
{
    private sealed class Entry(ShardDdlInfo info, string lockId, string ddls)
    {
        public ShardDdlInfo Info => info;
        public string LockId => lockId;
        public string Ddls => ddls;
        public TaskCompletionSource<ShardDdlDecision>? Waiter { get; init; }
        public string Waiting { get; set; } = "waiting for the master";
    }

    private readonly object _gate = new();
    private readonly Dictionary<(string Task, string Schema, string Table, string UpstreamSchema, string UpstreamTable, bool Done), Entry> _entries = [];

    private static (string, string, string, string, string, bool) KeyOf(ShardDdlInfo info) =>
        (info.Task, info.TargetSchema, info.TargetTable, info.UpstreamSchema, info.UpstreamTable, info.Done);

    public Task<ShardDdlDecision> LockAsync(ShardDdlLockRequest request, CancellationToken cancellationToken) =>
        WaitAsync(PessimisticInfo(request, done: false), request.LockId, request.Ddls, cancellationToken);

    public void Done(ShardDdlLockRequest request) => Post(PessimisticInfo(request, done: true), request.LockId, request.Ddls);

    public Task<ShardDdlDecision> TrySyncAsync(OptimisticShardDdl request, CancellationToken cancellationToken) =>
        WaitAsync(OptimisticInfo(request, done: false), request.LockId, request.Ddls, cancellationToken);

    public void Done(OptimisticShardDdl request) => Post(OptimisticInfo(request, done: true), request.LockId, request.Ddls);

    private async Task<ShardDdlDecision> WaitAsync(ShardDdlInfo info, string lockId, IReadOnlyList<string> ddls, CancellationToken cancellationToken)
    {
        var key = KeyOf(info);
        var entry = new Entry(info, lockId, string.Join("; ", ddls))
        {
            Waiter = new TaskCompletionSource<ShardDdlDecision>(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        lock (_gate) _entries[key] = entry;
        try
        {
            return await entry.Waiter.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            lock (_gate)
                if (_entries.TryGetValue(key, out var current) && ReferenceEquals(current, entry)) _entries.Remove(key);
        }
    }

    private void Post(ShardDdlInfo info, string lockId, IReadOnlyList<string> ddls)
    {
        lock (_gate) _entries[KeyOf(info)] = new Entry(info, lockId, string.Join("; ", ddls));
    }

    private static ShardDdlInfo PessimisticInfo(ShardDdlLockRequest request, bool done)
    {
        var info = new ShardDdlInfo
        {
            Task = request.Task, Source = request.Source, TargetSchema = request.TargetSchema, TargetTable = request.TargetTable, Done = done,
        };
        info.Ddls.AddRange(request.Ddls);
        return info;
    }

    private static ShardDdlInfo OptimisticInfo(OptimisticShardDdl request, bool done)
    {
        var info = new ShardDdlInfo
        {
            Task = request.Task, Source = request.Source, TargetSchema = request.TargetSchema, TargetTable = request.TargetTable, Done = done,
            Optimistic = true, UpstreamSchema = request.UpstreamSchema, UpstreamTable = request.UpstreamTable,
            TableBefore = request.Before, TableAfter = request.After,
        };
        info.Ddls.AddRange(request.Ddls);
        info.Members.AddRange(request.Members.Select(m => new ShardTableName { Schema = m.Schema, Table = m.Table }));
        return info;
    }

    public IReadOnlyList<(string LockId, string Ddls, string Waiting)> Waiting(string task)
    {
        lock (_gate)
            return _entries.Values.Where(e => !e.Info.Done && !e.Info.Optimistic && e.Info.Task == task)
                .Select(e => (e.LockId, e.Ddls, e.Waiting)).ToList();
    }

    /// <summary>The infos to send with the next heartbeat.</summary>
    public IReadOnlyList<ShardDdlInfo> Infos()
    {
        lock (_gate)
            return _entries.Values.OrderBy(e => !e.Info.Done).Select(e => e.Info.Clone()).ToList();
    }

    /// <summary>The master's operations for the infos a heartbeat carried (same order).</summary>
    public void Answer(IReadOnlyList<ShardDdlInfo> sent, IReadOnlyList<ShardDdlOperation> operations)
    {
        lock (_gate)
        {
            for (var i = 0; i < Math.Min(sent.Count, operations.Count); i++)
            {
                var (info, op) = (sent[i], operations[i]);
                var key = KeyOf(info);
                // An answer to an info the entry no longer holds (a newer DDL of the same table since) is not its answer.
                if (!_entries.TryGetValue(key, out var entry) || !entry.Info.Equals(info)) continue;
                if (entry.Info.Done)
                {
                    if (op.Action == ShardDdlAction.Resolved) _entries.Remove(key);
                    continue;
                }
                switch (op.Action)
                {
                    case ShardDdlAction.Exec:
                    case ShardDdlAction.Skip:
                        entry.Waiter!.TrySetResult(new ShardDdlDecision(op.LockId, op.Action == ShardDdlAction.Exec));
                        break;
                    case ShardDdlAction.Error:
                        entry.Waiter!.TrySetResult(new ShardDdlDecision(op.LockId, false, op.Message, op.ErrorCode));
                        break;
                    default:
                        entry.Waiting = op.Message.Length > 0 ? op.Message : "waiting for the master";
                        break;
                }
            }
        }
    }
}
