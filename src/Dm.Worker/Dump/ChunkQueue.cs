using System.Collections.Concurrent;

namespace Dm.Worker.Dump;

/// <summary>Pending chunks shared by the export threads, and per-table completion so dump status counts tables.</summary>
internal sealed class ChunkQueue
{
    private readonly ConcurrentQueue<(TablePlan Table, ChunkPlan Chunk)> _queue;
    private readonly ConcurrentDictionary<TablePlan, int> _remaining = new();

    public ChunkQueue(DumpPlan plan, IReadOnlySet<string> finished)
    {
        var pending = plan.AllChunks().Where(c => !finished.Contains(c.Chunk.Id)).ToList();
        _queue = new(pending);
        foreach (var group in pending.GroupBy(p => p.Table))
            _remaining[group.Key] = group.Count();
        CompletedTables = plan.Tables.Count - _remaining.Count;
    }

    public int CompletedTables { get; }

    public bool TryTake(out (TablePlan Table, ChunkPlan Chunk) item) => _queue.TryDequeue(out item);

    /// <summary>True when this was the table's last pending chunk.</summary>
    public bool Complete(TablePlan table) => _remaining.AddOrUpdate(table, 0, (_, n) => n - 1) == 0;
}
