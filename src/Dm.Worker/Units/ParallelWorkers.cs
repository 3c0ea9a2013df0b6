namespace Dm.Worker.Units;

/// <summary>Runs N workers; the first failure cancels the others and is rethrown (not the cancellations it caused).</summary>
internal static class ParallelWorkers
{
    public static async Task RunAsync(int count, Func<int, CancellationToken, Task> worker, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? first = null;
        var tasks = Enumerable.Range(0, count).Select(async i =>
        {
            try
            {
                await worker(i, linked.Token);
            }
            catch (Exception e)
            {
                if (!(e is OperationCanceledException && linked.IsCancellationRequested))
                    Interlocked.CompareExchange(ref first, e, null);
                await linked.CancelAsync();
            }
        }).ToList();
        await Task.WhenAll(tasks);
        cancellationToken.ThrowIfCancellationRequested();
        if (first is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
    }
}
