using System.Collections.Concurrent;
using System.Text.Json;
using Dm.ClusterState;
using Dm.Contracts;
using Dm.Master.Cluster;
using Dm.Master.State;

namespace Dm.Master.Workers;

/// <summary>
/// Which workers are online: each registered worker holds a lease whose TTL is its keepalive-ttl and an
/// alive key (<c>/dm-worker/a/&lt;name&gt;</c>) on that lease. A heartbeat refreshes the lease; when heartbeats
/// stop, the lease expires, the key disappears, and the scheduler sees the worker offline.
/// Each registration is a session: the worker gets a token whose digest the alive key holds (so that it outlives a change
/// of leader), and only the token's holder may heartbeat for the name, watch its state or register it again while it lives.
/// </summary>
public sealed class WorkerLeases(IClusterStore store, ILogger<WorkerLeases> logger)
{
    private readonly ConcurrentDictionary<string, Session> _leases = new(StringComparer.Ordinal);

    /// <summary>
    /// Records the worker and brings it online in a new session, whose token it returns. Refused while the name is online in
    /// a session whose token <paramref name="previousSession"/> is not (another worker holds it, or this one restarted and
    /// must wait for its old session to expire).
    /// </summary>
    public async Task<string> RegisterAsync(string name, string address, long ttlSeconds, string? previousSession, CancellationToken ct)
    {
        var alive = (await store.GetAsync(MasterKeys.WorkerKeepAlive(name), ct)).Kv;
        if (alive != null && (previousSession == null || !WorkerChannelAuth.Same(WorkerChannelAuth.Digest(previousSession), DigestOf(alive))))
        {
            var registered = (await store.GetAsync(MasterKeys.WorkerRegister(name), ct)).Kv;
            var at = registered == null ? "" : " at " + JsonSerializer.Deserialize<WorkerDirectory.WorkerRegistration>(registered.Value, StateJson.Options)!.Address;
            throw new InvalidOperationException(
                $"dm-worker with name {name} is already online{at}; a worker restarted under this name registers once that session has expired (keepalive-ttl)");
        }
        var registration = JsonSerializer.Serialize(new WorkerDirectory.WorkerRegistration(name, address), StateJson.Options);
        await store.PutAsync(MasterKeys.WorkerRegister(name), registration, ct: ct);
        // The holder of a live session registering again (with another TTL, or at a new leader) keeps its token, so its
        // heartbeats and watch under way go on.
        var token = alive != null && previousSession != null ? previousSession : WorkerChannelAuth.NewToken();
        await BringOnlineAsync(name, ttlSeconds, WorkerChannelAuth.Digest(token), alive, ct);
        logger.LogInformation("worker {Worker} registered from {Address} with keepalive-ttl {Ttl}s", name, address, ttlSeconds);
        return token;
    }

    /// <summary>Whether <paramref name="session"/> is the token of the worker's current session on this master.</summary>
    public bool Owns(string name, string? session) =>
        session != null && _leases.TryGetValue(name, out var current) && WorkerChannelAuth.Same(WorkerChannelAuth.Digest(session), current.Digest);

    /// <summary>
    /// Refreshes the worker's lease; false when the master does not know it (it must register again).
    /// </summary>
    /// <exception cref="UnauthorizedAccessException"><paramref name="session"/> is not the token of the name's session.</exception>
    public async Task<bool> HeartbeatAsync(string name, string? session, CancellationToken ct)
    {
        if (!_leases.TryGetValue(name, out var current)) return false;
        if (!Owns(name, session)) throw new UnauthorizedAccessException($"the call does not hold the session of dm-worker {name}");
        try
        {
            await store.KeepAliveOnceAsync(current.Lease, ct);
            return true;
        }
        catch (LeaseNotFoundException)
        {
            // The lease expired between heartbeats: the worker was declared offline and must register again.
            _leases.TryRemove(new KeyValuePair<string, Session>(name, current));
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
                _leases[MasterKeys.LastName(kv.Key)] = new Session(kv.LeaseId, DigestOf(kv));
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
    // with another TTL as it starts or stops pulling a relay log. It moves only if nobody registered the name since it
    // was read (<paramref name="seen"/>, null when it was not there): when it moves, the key is as read, so the lease to
    // revoke is the one read with it.
    private async Task BringOnlineAsync(string name, long ttlSeconds, string digest, KeyValue? seen, CancellationToken ct)
    {
        var key = MasterKeys.WorkerKeepAlive(name);
        var previous = seen?.LeaseId ?? 0;
        var seenRevision = seen?.ModRevision ?? 0;
        var lease = await store.GrantLeaseAsync(Math.Max(1, ttlSeconds), ct);
        var alive = JsonSerializer.Serialize(new AliveRecord(name, DateTimeOffset.UtcNow, digest), StateJson.Options);
        var put = await store.TxnAsync([seenRevision == 0 ? Compare.NotExists(key) : Compare.ModRevision(key, CompareOp.Equal, seenRevision)],
            [TxnOp.Put(key, alive, lease)], ct: ct);
        if (!put.Succeeded)
        {
            try { await store.RevokeLeaseAsync(lease, ct); }
            catch (LeaseNotFoundException) { }
            throw new InvalidOperationException($"dm-worker with name {name} registered meanwhile from another call");
        }
        _leases[name] = new Session(lease, digest);
        if (previous != 0 && previous != lease)
        {
            try { await store.RevokeLeaseAsync(previous, ct); }
            catch (LeaseNotFoundException) { }
        }
    }

    private static string DigestOf(KeyValue alive)
    {
        try
        {
            return JsonSerializer.Deserialize<AliveRecord>(alive.Value, StateJson.Options)?.Session ?? "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    /// <summary>A worker's session on this master: its lease and the digest of its token.</summary>
    private sealed record Session(long Lease, string Digest);

    /// <summary>The alive key's value: DM's fields, and DM#'s digest of the session token.</summary>
    private sealed record AliveRecord(string WorkerName, DateTimeOffset JoinTime, string? Session);
}
