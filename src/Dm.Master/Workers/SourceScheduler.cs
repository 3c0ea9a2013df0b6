using System.Text.Json;
using Dm.ClusterState;
using Dm.Master.Cluster;
using Dm.Master.Ha;
using Dm.Master.State;

namespace Dm.Master.Workers;

/// <summary>
/// Binds sources to workers with DM's rules: at most one source per worker and one bound worker per
/// source; a worker pulling a source's relay log (stage relay) may be bound to that source only; a source whose worker
/// went offline is unbound and bound again, preferring, as DM's scheduler, (1) a worker that holds the source's dump
/// files, (2) a relay worker of the source it was last bound to, (3) any relay worker of the source, (4) the free worker
/// it was last bound to, (5) any free worker. Reconciles whenever workers, sources, bindings or relay workers change, and only
/// while this master is the leader.
/// </summary>
public sealed class SourceScheduler(IClusterStore store, MasterGate gate, WorkerStatusBoard reports, ILeaderTerms election,
    ILogger<SourceScheduler> logger) : BackgroundService
{
    private static readonly string[] Watched =
        [MasterKeys.WorkerKeepAlivePrefix, MasterKeys.SourcePrefix, MasterKeys.BoundWorkerPrefix, MasterKeys.RelayWorkerPrefix];
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Asks for a reconcile soon (after a change the watches would also see).</summary>
    public void Poke()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var term = await election.WaitForTermAsync(stoppingToken);
            using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, term.Token);
            try
            {
                await ScheduleAsync(leading.Token);
            }
            catch (OperationCanceledException) when (leading.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
            {
                // the term ended: wait for the next one
            }
        }
    }

    private async Task ScheduleAsync(CancellationToken ct)
    {
        var revision = await store.GetRevisionAsync(ct);
        StoreChanges.Follow(store, Watched, revision, Poke, logger, ct);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await ReconcileAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "scheduling failed; retrying");
            }
            // A periodic pass as well, so nothing waits on a missed signal.
            await _wake.WaitAsync(TimeSpan.FromSeconds(2), ct);
        }
    }

    public async Task ReconcileAsync(CancellationToken ct)
    {
        using var entered = await gate.EnterAsync(ct);
        var state = new MasterState(store);
        var sources = (await state.SourcesAsync(ct)).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var workers = await WorkerDirectory.ReadAsync(store, ct);
        var online = workers.Where(w => w.Stage != WorkerDirectory.Offline).Select(w => w.Name).ToHashSet(StringComparer.Ordinal);
        var bounds = (await store.GetPrefixAsync(MasterKeys.BoundWorkerPrefix, ct)).Kvs
            .Select(kv => JsonSerializer.Deserialize<WorkerDirectory.SourceBound>(kv.Value, StateJson.Options)!).ToList();

        // Unbind what no longer holds: the worker went offline or the source was removed.
        var ops = new List<TxnOp>();
        foreach (var b in bounds.Where(b => !online.Contains(b.Worker) || !sources.Contains(b.Source)))
        {
            ops.Add(TxnOp.Delete(MasterKeys.BoundWorker(b.Worker)));
            if (sources.Contains(b.Source)) ops.Add(TxnOp.Put(MasterKeys.LastBoundWorker(b.Worker), b.Source));
            logger.LogInformation("unbinding source {Source} from worker {Worker} ({Reason})", b.Source, b.Worker,
                online.Contains(b.Worker) ? "source removed" : "worker offline");
        }
        var kept = bounds.Where(b => online.Contains(b.Worker) && sources.Contains(b.Source)).ToList();

        // Bind every unbound source to a free online worker, the one it was last bound to first.
        // A worker unbound in this pass waits for the next one (one transaction writes each key once).
        var busy = bounds.Select(b => b.Worker).ToHashSet(StringComparer.Ordinal);
        var bound = kept.Select(b => b.Source).ToHashSet(StringComparer.Ordinal);
        var lastBound = (await store.GetPrefixAsync(MasterKeys.LastBoundWorkerPrefix, ct)).Kvs
            .ToDictionary(kv => MasterKeys.LastName(kv.Key), kv => kv.ValueString, StringComparer.Ordinal);
        var relayOf = workers.Where(w => w.RelaySource != null).ToDictionary(w => w.Name, w => w.RelaySource!, StringComparer.Ordinal);
        foreach (var source in sources.Order(StringComparer.Ordinal).Where(s => !bound.Contains(s)))
        {
            // Free workers, and the source's own relay workers: a worker relaying another source waits for that one.
            var free = online.Where(w => !busy.Contains(w) && (!relayOf.TryGetValue(w, out var relayed) || relayed == source))
                .Order(StringComparer.Ordinal).ToList();
            if (free.Count == 0) continue;
            var (worker, reason) = Choose(source, free, lastBound, relayOf);
            busy.Add(worker);
            ops.Add(MasterState.PutBound(source, worker));
            logger.LogInformation("binding source {Source} to worker {Worker} ({Reason})", source, worker, reason);
        }
        if (ops.Count > 0) await store.TxnAsync([], ops, ct: ct);
    }

    private (string Worker, string Reason) Choose(string source, IReadOnlyList<string> free, IReadOnlyDictionary<string, string> lastBound,
        IReadOnlyDictionary<string, string> relayOf)
    {
        if (free.FirstOrDefault(w => reports.HoldsDumpFiles(w, source)) is { } holder)
            return (holder, "holds its dump files");
        var relays = free.Where(w => relayOf.GetValueOrDefault(w) == source).ToList();
        if (relays.FirstOrDefault(w => lastBound.GetValueOrDefault(w) == source) is { } lastRelay)
            return (lastRelay, "pulls its relay log, last bound");
        if (relays.Count > 0)
            return (relays[0], "pulls its relay log");
        var others = free.Where(w => !relayOf.ContainsKey(w)).ToList();
        if (others.FirstOrDefault(w => lastBound.GetValueOrDefault(w) == source) is { } last)
            return (last, "last bound");
        return (others[0], "free");
    }
}
