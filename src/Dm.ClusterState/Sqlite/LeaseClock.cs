namespace Dm.ClusterState.Sqlite;

/// <summary>
/// In-memory deadlines of the live leases (the table holds only id and TTL: like etcd, a restart
/// gives every lease a fresh TTL). Keepalives touch only this; expiry takes leases out of it first,
/// so a keepalive racing an expiry fails instead of reviving a lease about to be revoked.
/// </summary>
internal sealed class LeaseClock
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, (long TtlSeconds, long DeadlineMs)> _leases = [];

    private static long NowMs => Environment.TickCount64;

    public void Start(long leaseId, long ttlSeconds)
    {
        lock (_lock)
            _leases[leaseId] = (ttlSeconds, NowMs + ttlSeconds * 1000);
    }

    /// <summary>Restarts the TTL; returns it.</summary>
    public long Refresh(long leaseId)
    {
        lock (_lock)
        {
            if (!_leases.TryGetValue(leaseId, out var lease))
                throw new LeaseNotFoundException(leaseId);
            _leases[leaseId] = (lease.TtlSeconds, NowMs + lease.TtlSeconds * 1000);
            return lease.TtlSeconds;
        }
    }

    public bool Remove(long leaseId)
    {
        lock (_lock)
            return _leases.Remove(leaseId);
    }

    public LeaseInfo? Get(long leaseId)
    {
        lock (_lock)
        {
            if (!_leases.TryGetValue(leaseId, out var lease))
                return null;
            long remainingMs = Math.Max(0, lease.DeadlineMs - NowMs);
            return new LeaseInfo(leaseId, lease.TtlSeconds, (remainingMs + 999) / 1000);
        }
    }

    /// <summary>Removes and returns the leases whose deadline has passed.</summary>
    public List<long> TakeExpired()
    {
        long now = NowMs;
        lock (_lock)
        {
            var expired = _leases.Where(l => l.Value.DeadlineMs <= now).Select(l => l.Key).ToList();
            foreach (long id in expired)
                _leases.Remove(id);
            return expired;
        }
    }
}
