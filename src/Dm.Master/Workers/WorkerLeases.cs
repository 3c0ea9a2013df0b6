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
    /// Puts the alive key on a new lease of the TTL, then revokes the previous lease: a worker registering again (after a
    /// master switch, or with another TTL when it starts or stops pulling a relay log) never looks offline in between.
    /// </summary>
    private async Task BringOnlineAsync(string name, long ttlSeconds, CancellationToken ct)
    {
        var lease = await store.GrantLeaseAsync(Math.Max(1, ttlSeconds), ct);
        var alive = JsonSerializer.Serialize(new { worker_name = name, join_time = DateTimeOffset.UtcNow }, StateJson.Options);
        await store.PutAsync(MasterKeys.WorkerKeepAlive(name), alive, lease, ct);
        if (_leases.TryGetValue(name, out var previous))
        {
            try { await store.RevokeLeaseAsync(previous, ct); }
            catch (LeaseNotFoundException) { }
        }
        _leases[name] = lease;
    }
}
