namespace Dm.Worker.Sync.Applying;

/// <summary>
/// Numbers the rows a run writes to the applied table (writer batches, large transactions, DDL progress): the run's start
/// in ticks plus a counter, so that no two runs of a subtask use the same number. Safe from any thread.
/// </summary>
internal sealed class BatchIds
{
    private readonly long _base = DateTime.UtcNow.Ticks;
    private long _counter;

    public long Next() => _base + Interlocked.Increment(ref _counter);
}
