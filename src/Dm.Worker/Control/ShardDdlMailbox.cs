using Dm.Contracts;
using Dm.Worker.Sync.Sharding;

namespace Dm.Worker.Control;

/// <summary>
/// The shard-DDL infos of this worker's subtasks, carried up with every heartbeat (<see cref="Infos"/>), and the master's
/// operations, handed back from the heartbeat's answer (<see cref="Answer"/>) to the Sync unit that waits on them. An info
/// is sent again with every heartbeat until the master answers it, so a master restart or a leader change loses nothing.
/// </summary>
public sealed class ShardDdlMailbox : IShardDdlCoordinator
{
    private sealed class Entry(ShardDdlLockRequest request, bool done)
    {
        public ShardDdlLockRequest Request => request;
        public bool Done => done;
        public TaskCompletionSource<ShardDdlDecision>? Waiter { get; init; }
        public string Waiting { get; set; } = "waiting for the master";
    }

    private readonly object _gate = new();
    private readonly Dictionary<(string Task, string Schema, string Table, bool Done), Entry> _entries = [];

    public async Task<ShardDdlDecision> LockAsync(ShardDdlLockRequest request, CancellationToken cancellationToken)
    {
        var key = (request.Task, request.TargetSchema, request.TargetTable, false);
        var entry = new Entry(request, done: false) { Waiter = new TaskCompletionSource<ShardDdlDecision>(TaskCreationOptions.RunContinuationsAsynchronously) };
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

    public void Done(ShardDdlLockRequest request)
    {
        lock (_gate) _entries[(request.Task, request.TargetSchema, request.TargetTable, true)] = new Entry(request, done: true);
    }

    public IReadOnlyList<(string LockId, string Ddls, string Waiting)> Waiting(string task)
    {
        lock (_gate)
            return _entries.Values.Where(e => !e.Done && e.Request.Task == task)
                .Select(e => (e.Request.LockId, string.Join("; ", e.Request.Ddls), e.Waiting)).ToList();
    }

    /// <summary>The infos to send with the next heartbeat.</summary>
    public IReadOnlyList<ShardDdlInfo> Infos()
    {
        lock (_gate)
            return _entries.Values.OrderBy(e => !e.Done).Select(e =>
            {
                var info = new ShardDdlInfo
                {
                    Task = e.Request.Task, Source = e.Request.Source, TargetSchema = e.Request.TargetSchema, TargetTable = e.Request.TargetTable,
                    Done = e.Done,
                };
                info.Ddls.AddRange(e.Request.Ddls);
                return info;
            }).ToList();
    }

    /// <summary>The master's operations for the infos a heartbeat carried (same order).</summary>
    public void Answer(IReadOnlyList<ShardDdlInfo> sent, IReadOnlyList<ShardDdlOperation> operations)
    {
        lock (_gate)
        {
            for (var i = 0; i < Math.Min(sent.Count, operations.Count); i++)
            {
                var (info, op) = (sent[i], operations[i]);
                var key = (info.Task, info.TargetSchema, info.TargetTable, info.Done);
                if (!_entries.TryGetValue(key, out var entry)) continue;
                if (entry.Done)
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
