using System.Collections.Concurrent;
using System.Text.Json;
using Dm.ClusterState;
using Dm.Master.Cluster;
using Dm.Master.State;

namespace Dm.Master.Workers;

/// <summary>
/// Which workers are online: each registered worker holds a lease whose TTL is its keepalive-ttl and an
/// alive key (<c>/dm-worker/a/&lt;name&gt;</c>) on that lease. A heartbeat refreshes the lease; when heartbeats
/// stop, the lease expires, the key disappears, and the scheduler sees the worker offline.
/// </summary>
public sealed class WorkerLeases(IClusterStore store, ILogger<WorkerLeases> logger)
{
    private readonly ConcurrentDictionary<string, long> _leases = new(StringComparer.Ordinal);

    /// <summary>Records the worker and brings it online. Refused while another live worker holds the name elsewhere.</summary>
    public async Task RegisterAsync(string name, string address, long ttlSeconds, CancellationToken ct)
    {
        var registrationKey = MasterKeys.WorkerRegister(name);
        var existing = (await store.GetAsync(registrationKey, ct)).Kv;
        if (existing != null)
        {
            var old = JsonSerializer.Deserialize<WorkerDirectory.WorkerRegistration>(existing.Value, StateJson.Options)!;
            var alive = (await store.GetAsync(MasterKeys.WorkerKeepAlive(name), ct)).Kv != null;
            if (alive && old.Address != address)
                throw new InvalidOperationException($"dm-worker with name {name} is already online at {old.Address}");
        }
        var registration = JsonSerializer.Serialize(new WorkerDirectory.WorkerRegistration(name, address), StateJson.Options);
        await store.PutAsync(registrationKey, registration, ct: ct);
        await BringOnlineAsync(name, ttlSeconds, ct);
        logger.LogInformation("worker {Worker} registered from {Address} with keepalive-ttl {Ttl}s", name, address, ttlSeconds);
    }

    /// <summary>Refreshes the worker's lease; false when the master does not know it (it must register again).</summary>
    public async Task<bool> HeartbeatAsync(string name, CancellationToken ct)
    {
        if (!_leases.TryGetValue(name, out var lease)) return false;
        try
        {
            await store.KeepAliveOnceAsync(lease, ct);
            return true;
        }
        catch (LeaseNotFoundException)
        {
            // The lease expired between heartbeats: the worker was declared offline and must register again.
            _leases.TryRemove(new KeyValuePair<string, long>(name, lease));
            return false;
        }
    }

    /// <summary>
    /// Takes over the leases of the workers online now (a new leader's first step): each is refreshed once, so a
    /// worker has its whole TTL from now on to find this master, and its heartbeats then keep the same lease; its
    /// source stays bound all along. A lease that expired during the election is left to expire.
    /// </summary>
    public async Task AdoptAsync(CancellationToken ct)
    {
        _leases.Clear();
        foreach (var kv in (await store.GetPrefixAsync(MasterKeys.WorkerKeepAlivePrefix, ct)).Kvs)
        {
            if (kv.LeaseId == 0) continue;
            try
            {
                await store.KeepAliveOnceAsync(kv.LeaseId, ct);
                _leases[MasterKeys.LastName(kv.Key)] = kv.LeaseId;
            }
            catch (LeaseNotFoundException)
            {
                // expired meanwhile: the worker registers again
            }
        }
        logger.LogInformation("took over the leases of {Count} online workers", _leases.Count);
    }

    // The alive key moves to a new lease before the old one is revoked, so the worker never looks offline meanwhile
    // (a scheduler pass in such a gap would unbind its source): after a master switch, or when a worker registers again
    // with another TTL as it starts or stops pulling a relay log.
    private async Task BringOnlineAsync(string name, long ttlSeconds, CancellationToken ct)
    {
        var key = MasterKeys.WorkerKeepAlive(name);
        var previous = (await store.GetAsync(key, ct)).Kv?.LeaseId ?? 0;
        var lease = await store.GrantLeaseAsync(Math.Max(1, ttlSeconds), ct);
        var alive = JsonSerializer.Serialize(new { worker_name = name, join_time = DateTimeOffset.UtcNow }, StateJson.Options);
        await store.PutAsync(key, alive, lease, ct);
        _leases[name] = lease;
        if (previous != 0 && previous != lease)
        {
            try { await store.RevokeLeaseAsync(previous, ct); }
            catch (LeaseNotFoundException) { }
        }
    }
}
