using Dm.Binlog.Replication;

namespace Dm.Worker.Sync.Sharding;

/// <summary>
/// One run's pessimistic sharding state on this source: the sharding group of each target table, which upstream tables are
/// held (they reached their group's DDL: their later events wait) and what they hold, and the checkpoint pin. While any group
/// meets a DDL the global checkpoint stays where the first of them started (<see cref="Pin"/>), row changes are replayed in
/// safe mode and transactions leave no applied rows: a run that starts again there reads the window once more, holds the
/// same events again and replays the rest idempotently. No I/O.
/// </summary>
internal sealed class PessimisticShards(ShardingMetaTable meta)
{
    /// <summary>Where the groups' state is shown on the target (DM's sharding meta table).</summary>
    public ShardingMetaTable Meta => meta;

    private readonly Dictionary<(string Schema, string Table), ShardingGroup> _groups = [];
    private readonly Dictionary<(string Schema, string Table), (string Schema, string Table)> _held = [];
    private readonly Dictionary<(string Schema, string Table), List<HeldEvent>> _queues = [];
    private readonly Dictionary<(string Schema, string Table), BinlogLocation> _starts = [];
    // The held parts of the upstream transaction being read, by upstream table.
    private readonly Dictionary<(string Schema, string Table), SyncTransaction> _open = [];
    // DDLs resolved while another group kept the pin, by target: where their group first met them (ResolvedSincePin).
    private readonly Dictionary<(string Schema, string Table), List<BinlogPosition>> _resolvedSincePin = [];
    // Those an earlier run at the same pin resolved (Restore): met again, they are not asked of the master a second time.
    private readonly HashSet<((string Schema, string Table) Target, BinlogPosition First)> _resolvedBefore = [];

    /// <summary>Whether some group meets a DDL (the window: safe mode, no applied rows, checkpoint pinned).</summary>
    public bool Active => _starts.Count > 0;

    /// <summary>Where the global checkpoint stays while <see cref="Active"/>: where the earliest active group started.</summary>
    public BinlogLocation? Pin { get; private set; }

    public ShardingGroup Group((string Schema, string Table) target)
    {
        if (!_groups.TryGetValue(target, out var group)) _groups[target] = group = new ShardingGroup(target);
        return group;
    }

    /// <summary>The active groups and the lock the run waits on (<paramref name="waitingOn"/>), as query-status shows them.</summary>
    public SyncProgress.ShardingSnapshot Snapshot(string? waitingOn)
    {
        static string Name((string Schema, string Table) t) => $"`{t.Schema}`.`{t.Table}`";
        var groups = _groups.Values.Where(g => g.ActiveDdls is not null).Select(g => new Dm.Core.Api.ShardingGroup
        {
            Target = Name(g.Target),
            DdlList = [.. g.ActiveDdls!],
            FirstLocation = g.FirstLocation!.Position.ToDmString(),
            Synced = [.. g.Synced.Select(Name)],
            Unsynced = [.. g.Unsynced(g.Members).Select(Name)],
        }).ToList();
        return new SyncProgress.ShardingSnapshot(groups, [.. groups.SelectMany(g => g.DdlList)], waitingOn);
    }

    /// <summary>A group starts meeting a DDL at <paramref name="checkpoint"/> (every change before it committed).</summary>
    public void Start((string Schema, string Table) target, BinlogLocation checkpoint)
    {
        _starts[target] = checkpoint;
        Pin ??= checkpoint;
    }

    public bool IsHeld((string Schema, string Table) table) => _held.ContainsKey(table);

    public void Hold((string Schema, string Table) table, (string Schema, string Table) target) => _held[table] = target;

    /// <summary>The held part of the current upstream transaction for <paramref name="table"/>.</summary>
    public SyncTransaction HeldPart((string Schema, string Table) table, SyncTransaction transaction)
    {
        if (!_open.TryGetValue(table, out var part))
            _open[table] = part = new SyncTransaction { Id = transaction.Id, Timestamp = transaction.Timestamp, Unrecorded = true };
        return part;
    }

    /// <summary>The upstream transaction ended: its held parts join their groups' queues.</summary>
    public void EndTransaction()
    {
        foreach (var (table, part) in _open)
            if (part.Size > 0 && _held.TryGetValue(table, out var target)) Queue(target).Add(new HeldTransaction(table, part));
        _open.Clear();
    }

    public void Enqueue(HeldStatement statement) => Queue(_held[statement.Table]).Add(statement);

    /// <summary>The group's DDL is resolved: its tables are no longer held; returns what they held, in binlog order.</summary>
    public List<HeldEvent> Release((string Schema, string Table) target)
    {
        foreach (var table in _held.Where(h => h.Value == target).Select(h => h.Key).ToList()) _held.Remove(table);
        Group(target).Reset();
        _starts.Remove(target);
        var queue = Queue(target);
        var items = queue.ToList();
        queue.Clear();
        return items;
    }

    /// <summary>Items a release found held again (their table met the group's next DDL) go back in front of the queue.</summary>
    public void Requeue((string Schema, string Table) target, List<HeldEvent> items) => Queue(target).InsertRange(0, items);

    /// <summary>
    /// After a release: the pin moves to the earliest group still active (none: the checkpoint follows the watermark), and
    /// the resolved DDLs a run starting at the new pin would not meet again are forgotten.
    /// </summary>
    public void Unpin()
    {
        Pin = _starts.Count == 0 ? null : _starts.Values.MinBy(s => s.Position);
        foreach (var (target, firsts) in _resolvedSincePin.ToList())
        {
            if (Pin is { } pin) firsts.RemoveAll(f => f.CompareTo(pin.Position) <= 0);
            if (Pin is null || firsts.Count == 0) _resolvedSincePin.Remove(target);
        }
    }

    /// <summary>
    /// The group of <paramref name="target"/> resolved the DDLs it first met at <paramref name="firsts"/>; while another group
    /// keeps the checkpoint before them (call after <see cref="Unpin"/>), a run that starts again meets them again and must
    /// know that their locks are over (the master forgot them: asked again, it would open a lock nobody else joins).
    /// </summary>
    public void Resolved((string Schema, string Table) target, IEnumerable<BinlogPosition> firsts)
    {
        if (Pin is not { } pin) return;
        var after = firsts.Where(f => f.CompareTo(pin.Position) > 0).ToList();
        if (after.Count == 0) return;
        if (!_resolvedSincePin.TryGetValue(target, out var list)) _resolvedSincePin[target] = list = [];
        list.AddRange(after.Except(list));
    }

    /// <summary>The DDLs resolved since the pin, by target (what <see cref="ShardingMetaTable"/> keeps for the next run).</summary>
    public IReadOnlyDictionary<(string Schema, string Table), List<BinlogPosition>> ResolvedSincePin => _resolvedSincePin;

    /// <summary>
    /// A run starting at <paramref name="start"/>: what an earlier run resolved since its pin, if that pin is where this run
    /// starts (else the earlier run's checkpoint moved on, and none of it is met again).
    /// </summary>
    public void Restore(BinlogPosition start, BinlogPosition? earlierPin,
        IReadOnlyDictionary<(string Schema, string Table), List<BinlogPosition>> resolved)
    {
        if (earlierPin != start) return;
        foreach (var (target, firsts) in resolved)
        {
            foreach (var first in firsts) _resolvedBefore.Add((target, first));
            _resolvedSincePin[target] = [.. firsts];
        }
    }

    /// <summary>Whether an earlier run at the same pin resolved the DDLs the group of <paramref name="target"/> first met at <paramref name="first"/>.</summary>
    public bool ResolvedBefore((string Schema, string Table) target, BinlogPosition first) => _resolvedBefore.Contains((target, first));

    private List<HeldEvent> Queue((string Schema, string Table) target)
    {
        if (!_queues.TryGetValue(target, out var queue)) _queues[target] = queue = [];
        return queue;
    }
}
