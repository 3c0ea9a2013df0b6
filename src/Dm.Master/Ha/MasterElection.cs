using System.Diagnostics;
using Dm.ClusterState;
using Dm.Core.Metrics;
using Dm.Master.Cluster;
using Dm.Master.Hosting;
using Dm.Master.State;
using Dm.Master.Workers;

namespace Dm.Master.Ha;

/// <summary>
/// This master's part in the leader election, on any store (DM's election key <c>/dm-master/leader</c>): a session lease
/// of <c>election-ttl</c> kept alive in the background, this master's alive key on it, and a candidacy on it. Winning
/// starts a <see cref="LeaderTerm"/>: the worker leases are taken over from the store, then the leader-only work (the
/// scheduler, the worker channel, answering the API) runs until the term ends. A leader that dies stops renewing its
/// lease, which expires within the TTL and hands over to the next candidate. Followers follow who leads
/// (<see cref="Leader"/>) to forward requests and redirect workers. <c>operate-leader evict</c> resigns and stops
/// campaigning until <c>cancel-evict</c>, as DM's does.
/// </summary>
public sealed class MasterElection([FromKeyedServices(MasterStores.Unguarded)] IClusterStore store, MasterOptions options, ClusterService cluster,
    WorkerLeases workerLeases, JoinSecret joinSecret, MetricsRegistry metrics, ILogger<MasterElection> logger) : BackgroundService, ILeaderTerms
{
    private readonly Election _election = new(store, MasterKeys.LeaderElection);
    private readonly LeaderInfo _self = new(options.Name, options.EffectiveAdvertiseAddr);
    private readonly Lock _gate = new();
    private TaskCompletionSource<LeaderTerm> _nextTerm = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource _eviction = new();
    private TaskCompletionSource _evictionLifted = Completed();
    private volatile LeaderTerm? _term;
    private volatile LeaderInfo? _leader;
    private volatile KeyValue? _leaderKey;
    private volatile Leadership? _leadership;
    private DateTimeOffset? _leaderRenewedAt;
    private double _lastFailoverSeconds;

    /// <summary>The current leader as this master last saw it (itself while it leads); null while there is none.</summary>
    public LeaderInfo? Leader => _term != null ? _self : _leader;

    public bool IsLeader => _term != null;

    /// <summary>This master's term while it leads, else null.</summary>
    public LeaderTerm? CurrentTerm => _term;

    /// <summary>
    /// The current term; otherwise the answer a follower gives a worker: go to the leader (its address in a trailer),
    /// or wait, while no master leads.
    /// </summary>
    /// <exception cref="Grpc.Core.RpcException">this master does not lead.</exception>
    public LeaderTerm RequireLeaderForWorkers()
    {
        if (_term is { Token.IsCancellationRequested: false } term) return term;
        throw _leader is { } leader && leader.Name != options.Name
            ? Dm.Contracts.LeaderRedirect.ToLeader(options.Name, leader.Name, leader.Addr)
            : Dm.Contracts.LeaderRedirect.NoLeader(options.Name);
    }

    public bool IsEvicted => _eviction.IsCancellationRequested;

    /// <summary>
    /// The election this master has won, from the campaign's success to the end of its term, else null: what guards the
    /// leader's writes (<see cref="LeaderGuardedStore"/>), so that a master that lost its key writes nothing.
    /// </summary>
    public Leadership? Leadership => _leadership;

    public Task<LeaderTerm> WaitForTermAsync(CancellationToken ct)
    {
        lock (_gate) return (_term is { } term ? Task.FromResult(term) : _nextTerm.Task).WaitAsync(ct);
    }

    /// <summary>DM's <c>operate-leader evict</c>: resign if leading, and stand for no election until <see cref="CancelEviction"/>.</summary>
    public void Evict()
    {
        lock (_gate)
        {
            if (_eviction.IsCancellationRequested) return;
            _evictionLifted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _eviction.Cancel();
        }
        logger.LogInformation("evicted (operate-leader evict): dm-master {Name} resigns if it leads and stands for no election until cancel-evict", options.Name);
    }

    /// <summary>DM's <c>operate-leader cancel-evict</c>: stand for election again.</summary>
    public void CancelEviction()
    {
        lock (_gate)
        {
            if (!_eviction.IsCancellationRequested) return;
            // Not disposed: a campaign or term that began under it may still hold its token.
            _eviction = new CancellationTokenSource();
            _evictionLifted.TrySetResult();
        }
        logger.LogInformation("eviction cancelled (operate-leader cancel-evict): dm-master {Name} stands for election again", options.Name);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.Observe("dm_master_is_leader", "1 while this master is the leader", () => IsLeader ? 1 : 0);
        metrics.Observe("dm_master_failover_seconds",
            "from the previous leader's last session renewal (as this master saw it, to the second) to this master leading, when this master last took over",
            () => _lastFailoverSeconds);
        var observing = Task.WhenAll(ObserveLeaderAsync(stoppingToken), TrackLeaderRenewalsAsync(stoppingToken));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunSessionAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning("election session of dm-master {Name} ended: {Error}; starting a new one", options.Name, e.Message);
                try { await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken); }
                catch (OperationCanceledException) { break; }
            }
        }
        await observing;
    }

    // One session: a lease, this master's alive key, and campaigns on it until the lease is lost.
    private async Task RunSessionAsync(CancellationToken stoppingToken)
    {
        await cluster.InitialiseAsync(stoppingToken);
        await joinSecret.EnsureAsync(stoppingToken);
        var keeper = await LeaseKeeper.GrantAsync(store, (long)Math.Ceiling(options.ElectionTtl.TotalSeconds), stoppingToken);
        try
        {
            await store.PutAsync(MasterKeys.MasterAlive(options.Name), _self.ToJson(), keeper.LeaseId, stoppingToken);
            await WithdrawStaleCandidaciesAsync(keeper.LeaseId, stoppingToken);
            using var session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, keeper.LostToken);
            while (!session.IsCancellationRequested)
            {
                await WaitUntilNotEvictedAsync(session.Token);
                CancellationToken eviction;
                lock (_gate) eviction = _eviction.Token;
                using var campaign = CancellationTokenSource.CreateLinkedTokenSource(session.Token, eviction);
                Leadership leadership;
                try
                {
                    leadership = await _election.CampaignAsync(keeper.LeaseId, _self.ToJson(), campaign.Token);
                }
                catch (OperationCanceledException) when (!session.IsCancellationRequested)
                {
                    continue; // evicted while a candidate: the candidacy is withdrawn
                }
                await LeadAsync(leadership, eviction, session.Token);
            }
            if (keeper.IsLost && !stoppingToken.IsCancellationRequested)
                throw new LeadershipLostException($"session lease {keeper.LeaseId:x} lost: {keeper.LostReason?.Message}");
        }
        finally
        {
            await keeper.DisposeAsync();
            if (stoppingToken.IsCancellationRequested)
            {
                // Stopping: end the session at once, so another master leads now rather than after the TTL.
                using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try { await store.RevokeLeaseAsync(keeper.LeaseId, bounded.Token); }
                catch (Exception e) when (e is ClusterStoreException or OperationCanceledException or ObjectDisposedException)
                {
                    logger.LogInformation("could not end the election session on stopping ({Error}); it expires within {Ttl}", e.Message, options.ElectionTtl);
                }
            }
        }
    }

    private async Task LeadAsync(Leadership leadership, CancellationToken eviction, CancellationToken session)
    {
        _leadership = leadership;
        try
        {
            await LeadTermAsync(leadership, eviction, session);
        }
        finally
        {
            _leadership = null;
        }
    }

    private async Task LeadTermAsync(Leadership leadership, CancellationToken eviction, CancellationToken session)
    {
        using var termEnd = CancellationTokenSource.CreateLinkedTokenSource(session, eviction);
        var clock = Stopwatch.StartNew();
        try
        {
            await workerLeases.AdoptAsync(termEnd.Token);
        }
        catch (OperationCanceledException) when (termEnd.IsCancellationRequested)
        {
            // Evicted or the session ended before the term began.
            if (eviction.IsCancellationRequested && !session.IsCancellationRequested) await leadership.ResignAsync(session);
            return;
        }
        var term = new LeaderTerm(DateTimeOffset.UtcNow, termEnd.Token);
        DateTimeOffset? previousRenewal;
        lock (_gate)
        {
            _term = term;
            _nextTerm.TrySetResult(term);
            previousRenewal = _leaderRenewedAt;
            _leaderRenewedAt = null;
        }
        metrics.Increment("dm_master_leader_terms_total", "terms this master has won the election");
        if (previousRenewal is { } renewed)
        {
            _lastFailoverSeconds = (term.Since - renewed).TotalSeconds;
            logger.LogInformation(
                "dm-master {Name} is the leader: took over {Failover:0.0} s after the previous leader last renewed its session (election-ttl {Ttl} s), " +
                "worker leases taken over in {Reload} ms", options.Name, _lastFailoverSeconds, options.ElectionTtl.TotalSeconds, clock.ElapsedMilliseconds);
        }
        else
        {
            logger.LogInformation("dm-master {Name} is the leader (worker leases taken over in {Reload} ms)", options.Name, clock.ElapsedMilliseconds);
        }
        var reason = "stopping";
        try
        {
            reason = await WaitTermEndAsync(leadership, termEnd.Token, eviction);
        }
        finally
        {
            lock (_gate)
            {
                _term = null;
                _nextTerm = new TaskCompletionSource<LeaderTerm>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            await termEnd.CancelAsync();
            logger.LogInformation("dm-master {Name} is no longer the leader ({Reason})", options.Name, reason);
        }
        if (eviction.IsCancellationRequested && !session.IsCancellationRequested)
            await leadership.ResignAsync(session);
    }

    // Until the key is gone (lease expired, resigned, deleted) or the term is cut short; a watch broken by a lost etcd
    // member is opened again as long as the key is still ours.
    private async Task<string> WaitTermEndAsync(Leadership leadership, CancellationToken termEnd, CancellationToken eviction)
    {
        while (true)
        {
            try
            {
                await leadership.WaitLostAsync(termEnd);
                return "its election key is gone";
            }
            catch (OperationCanceledException) when (termEnd.IsCancellationRequested)
            {
                return eviction.IsCancellationRequested ? "evicted" : "its session ended";
            }
            catch (Exception e) when (e is ClusterStoreException)
            {
                logger.LogWarning("watching the leader key failed ({Error}); watching again", e.Message);
                try { await Task.Delay(500, termEnd); }
                catch (OperationCanceledException) { return eviction.IsCancellationRequested ? "evicted" : "its session ended"; }
            }
        }
    }

    private async Task WaitUntilNotEvictedAsync(CancellationToken ct)
    {
        Task lifted;
        lock (_gate) lifted = _evictionLifted.Task;
        await lifted.WaitAsync(ct);
    }

    // A candidacy of this master's name on another lease is a previous run's (killed before it could withdraw): without
    // this, a restarted master would wait for its own old session to expire.
    private async Task WithdrawStaleCandidaciesAsync(long leaseId, CancellationToken ct)
    {
        foreach (var kv in (await store.GetPrefixAsync(MasterKeys.LeaderElection + "/", ct)).Kvs)
        {
            if (kv.LeaseId == leaseId || LeaderInfo.Of(kv)?.Name != options.Name) continue;
            await store.TxnAsync([Compare.CreateRevision(kv.Key, CompareOp.Equal, kv.CreateRevision)], [TxnOp.Delete(kv.Key)], null, ct);
            logger.LogInformation("withdrew the candidacy {Key} a previous run of dm-master {Name} left", kv.Key, options.Name);
        }
    }

    // Follows who leads, for followers to forward requests and redirect workers.
    private async Task ObserveLeaderAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await foreach (var kv in _election.WatchLeaderAsync(ct))
                {
                    var leader = kv == null ? null : LeaderInfo.Of(kv);
                    (_leader, _leaderKey) = (leader, kv);
                    if (leader == null) logger.LogInformation("no master leads: an election is in progress");
                    else if (leader.Name != options.Name) logger.LogInformation("the leader is dm-master {Leader} at {Addr}", leader.Name, leader.Addr);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("following the leader failed ({Error}); following again", e.Message);
                (_leader, _leaderKey) = (null, null);
                try { await Task.Delay(500, ct); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    // Notes, every second, when another leader last renewed its session (etcd counts its lease's TTL in seconds): when
    // this master takes over, the time since then is the failover it reports.
    private async Task TrackLeaderRenewalsAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                if (_leaderKey is not { LeaseId: not 0 } kv || IsLeader || LeaderInfo.Of(kv)?.Name == options.Name) continue;
                if (await store.GetLeaseAsync(kv.LeaseId, ct) is { } lease)
                {
                    var renewed = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(lease.GrantedTtlSeconds - lease.RemainingTtlSeconds);
                    lock (_gate) if (!IsLeader) _leaderRenewedAt = renewed;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is ClusterStoreException)
            {
                // the store is out of reach for now: the next second tries again
            }
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    public override void Dispose()
    {
        _eviction.Dispose();
        base.Dispose();
    }
}
