namespace Dm.Master.State;

/// <summary>
/// Serialises the master's state-changing operations, so a check ("no task uses this source") and the
/// write that depends on it cannot interleave with another request. Reads do not take it.
/// </summary>
public sealed class MasterGate
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        await _semaphore.WaitAsync(ct);
        return new Releaser(_semaphore);
    }

    private sealed class Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) semaphore.Release();
        }
    }
}
