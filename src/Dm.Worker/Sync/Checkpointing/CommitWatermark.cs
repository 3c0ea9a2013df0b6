using Dm.Binlog.Replication;

namespace Dm.Worker.Sync.Checkpointing;

/// <summary>
/// Transactions are numbered in binlog order and committed out of order by parallel writers. The watermark
/// is the last transaction such that it and every earlier one are committed: the only position a global
/// checkpoint may record. Writer batches are remembered until the watermark passes them, so the flush
/// that records it can delete their applied rows.
/// </summary>
internal sealed class CommitWatermark
{
    private readonly object _gate = new();
    private readonly Queue<(long Sequence, BinlogLocation End, uint Timestamp)> _open = new();
    private readonly HashSet<long> _committed = [];
    private readonly List<(long MaxSequence, long Batch)> _batches = [];
    private long _sequence;

    public CommitWatermark(BinlogLocation start) => Position = start;

    /// <summary>The watermark's position (the start until a transaction commits).</summary>
    public BinlogLocation Position { get; private set; }

    public long Sequence { get; private set; }

    /// <summary>Upstream timestamp of the watermark's transaction (0 before the first).</summary>
    public uint Timestamp { get; private set; }

    /// <summary>Numbers the next transaction.</summary>
    public long Next(BinlogLocation end, uint timestamp)
    {
        lock (_gate)
        {
            var sequence = ++_sequence;
            _open.Enqueue((sequence, end, timestamp));
            return sequence;
        }
    }

    /// <summary>A transaction that needs no work (filtered, or already applied before a crash).</summary>
    public long Done(BinlogLocation end, uint timestamp)
    {
        lock (_gate)
        {
            var sequence = ++_sequence;
            _open.Enqueue((sequence, end, timestamp));
            _committed.Add(sequence);
            Advance();
            return sequence;
        }
    }

    /// <summary>A point with no transaction (DDL, or events outside transactions) once everything before it is committed.</summary>
    public void MoveTo(BinlogLocation position, uint timestamp)
    {
        lock (_gate)
        {
            if (_open.Count > 0) throw new InvalidOperationException("transactions are still open");
            Position = position;
            if (timestamp != 0) Timestamp = timestamp;
        }
    }

    public void Committed(IReadOnlyList<SyncTransaction> transactions, long batch)
    {
        lock (_gate)
        {
            foreach (var t in transactions) _committed.Add(t.Sequence);
            _batches.Add((transactions[^1].Sequence, batch));
            Advance();
        }
    }

    /// <summary>The watermark and the batches it covers (removed from the list).</summary>
    public (BinlogLocation Position, List<long> CoveredBatches) Snapshot()
    {
        lock (_gate)
        {
            var covered = _batches.Where(b => b.MaxSequence <= Sequence).Select(b => b.Batch).ToList();
            _batches.RemoveAll(b => b.MaxSequence <= Sequence);
            return (Position, covered);
        }
    }

    /// <summary>Puts batches back when a flush failed.</summary>
    public void Restore(IEnumerable<long> batches)
    {
        lock (_gate)
            foreach (var b in batches) _batches.Add((0, b));
    }

    public bool AllCommitted
    {
        get { lock (_gate) return _open.Count == 0; }
    }

    private void Advance()
    {
        while (_open.Count > 0 && _committed.Remove(_open.Peek().Sequence))
        {
            var (sequence, end, timestamp) = _open.Dequeue();
            Sequence = sequence;
            Position = end;
            if (timestamp != 0) Timestamp = timestamp;
        }
    }
}
