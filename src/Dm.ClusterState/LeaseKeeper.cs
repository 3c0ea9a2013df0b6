using System.Diagnostics;

namespace Dm.ClusterState;

/// <summary>
/// Keeps a lease alive in the background (a keepalive every third of its TTL) until disposed.
/// When the lease is gone (expired, revoked) or could not be refreshed for a whole TTL,
/// <see cref="LostToken"/> is cancelled: whoever held something on this lease (a leadership,
/// a worker's keepalive key) must assume it is lost. Disposing does not revoke the lease.
/// </summary>
public sealed class LeaseKeeper : IAsyncDisposable
{
    private readonly IClusterStore _store;
    private readonly TimeSpan _ttl;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _lost = new();
    private readonly Task _loop;

    private LeaseKeeper(IClusterStore store, long leaseId, long ttlSeconds)
    {
        _store = store;
        LeaseId = leaseId;
        _ttl = TimeSpan.FromSeconds(ttlSeconds);
        _loop = Task.Run(RunAsync);
    }

    public long LeaseId { get; }

    /// <summary>Cancelled when the lease is lost.</summary>
    public CancellationToken LostToken => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    /// <summary>Why the lease was lost, once it was.</summary>
    public Exception? LostReason { get; private set; }

    /// <summary>Refreshes the lease once (so a missing lease fails here) and keeps it alive from then on.</summary>
    public static async Task<LeaseKeeper> StartAsync(IClusterStore store, long leaseId, CancellationToken ct = default)
    {
        long ttl = await store.KeepAliveOnceAsync(leaseId, ct).ConfigureAwait(false);
        return new LeaseKeeper(store, leaseId, ttl);
    }

    /// <summary>Grants a new lease and keeps it alive.</summary>
    public static async Task<LeaseKeeper> GrantAsync(IClusterStore store, long ttlSeconds, CancellationToken ct = default)
    {
        long leaseId = await store.GrantLeaseAsync(ttlSeconds, ct).ConfigureAwait(false);
        return new LeaseKeeper(store, leaseId, ttlSeconds);
    }

    private async Task RunAsync()
    {
        var interval = _ttl / 3;
        var lastSuccess = Stopwatch.StartNew();
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _stop.Token).ConfigureAwait(false);
                await _store.KeepAliveOnceAsync(LeaseId, _stop.Token).ConfigureAwait(false);
                lastSuccess.Restart();
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is LeaseNotFoundException or ObjectDisposedException)
            {
                MarkLost(ex);
                return;
            }
            catch (Exception ex)
            {
                // Transient (e.g. etcd unreachable): retry sooner; the lease may still be alive.
                if (lastSuccess.Elapsed >= _ttl)
                {
                    MarkLost(ex);
                    return;
                }
                interval = TimeSpan.FromMilliseconds(Math.Max(50, _ttl.TotalMilliseconds / 10));
                continue;
            }
            interval = _ttl / 3;
        }
    }

    private void MarkLost(Exception reason)
    {
        LostReason = reason;
        _lost.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
            return;
        _stop.Cancel();
        await _loop.ConfigureAwait(false);
    }
}
