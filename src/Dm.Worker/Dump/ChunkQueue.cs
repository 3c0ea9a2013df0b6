using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Dm.Worker.Dump;

/// <summary>
/// Pending chunks shared by the export threads. A chunk leaves for good only when <see cref="Complete"/> is
/// called for it (file written / rows committed); a retried chunk comes back, and readers wait until every
/// chunk is complete, so a late retry is never stranded after the exporters stopped.
/// </summary>
internal sealed class ChunkQueue
{
    private readonly Channel<(TablePlan Table, ChunkPlan Chunk)> _channel = Channel.CreateUnbounded<(TablePlan, ChunkPlan)>();
    private readonly ConcurrentDictionary<TablePlan, int> _remainingPerTable = new();
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private int _outstanding;

    public ChunkQueue(DumpPlan plan, IReadOnlySet<string> finished)
    {
        var pending = plan.AllChunks().Where(c => !finished.Contains(c.Chunk.Id)).ToList();
        // Round-robin over tables (every table's first chunk, then every second chunk, ...): parallel writers
        // then mostly insert into different tables instead of contending for one table's index latches.
        foreach (var item in pending.OrderBy(p => p.Chunk.Index))
            _channel.Writer.TryWrite(item);
        _outstanding = pending.Count;
        if (_outstanding == 0)
            _channel.Writer.TryComplete();
        foreach (var group in pending.GroupBy(p => p.Table))
            _remainingPerTable[group.Key] = group.Count();
        CompletedTables = plan.Tables.Count - _remainingPerTable.Count;
    }

    public int CompletedTables { get; }

    /// <summary>The next chunk to export; ends when every chunk is complete.</summary>
    public IAsyncEnumerable<(TablePlan Table, ChunkPlan Chunk)> TakeAllAsync(CancellationToken cancellationToken) =>
        _channel.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Puts a rolled-back chunk back; false once it has failed <paramref name="maxAttempts"/> times.</summary>
    public bool Retry(TablePlan table, ChunkPlan chunk, int maxAttempts)
    {
        if (_attempts.AddOrUpdate(chunk.Id, 1, (_, n) => n + 1) >= maxAttempts)
            return false;
        return _channel.Writer.TryWrite((table, chunk));
    }

    /// <summary>Marks a chunk done; true when this was its table's last pending chunk.</summary>
    public bool Complete(TablePlan table)
    {
        if (Interlocked.Decrement(ref _outstanding) == 0)
            _channel.Writer.TryComplete();
        return _remainingPerTable.AddOrUpdate(table, 0, (_, n) => n - 1) == 0;
    }
}
