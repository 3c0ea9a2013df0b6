using Dm.Core.Upstream;
using MySqlConnector;

namespace Dm.Master.Precheck;

/// <summary>Caps how many connections the precheck holds at once, whatever number of checks run concurrently.</summary>
internal sealed class ConnectionBudget(int maxConnections) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, maxConnections));
    private int _peak;
    private int _open;

    /// <summary>Highest number of connections open at the same time so far.</summary>
    public int Peak => Volatile.Read(ref _peak);

    /// <summary>Runs <paramref name="work"/> on a fresh connection once a slot is free.</summary>
    public async Task<T> WithConnectionAsync<T>(DatabaseEndpoint endpoint, Func<MySqlConnection, Task<T>> work,
        CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            var open = Interlocked.Increment(ref _open);
            int peak;
            while (open > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, open, peak) != peak) { }
            await using var connection = await DatabaseConnector.OpenAsync(endpoint, cancellationToken);
            return await work(connection);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
