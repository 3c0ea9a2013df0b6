using Dm.Contracts;
using Dm.Worker.Dump;
using Dm.Worker.Hosting;
using Grpc.Core;

namespace Dm.Worker.Control;

/// <summary>
/// Keeps this worker known to the master: registers, heartbeats (carrying its subtasks' status) every second, or
/// every third of the keepalive TTL if that is shorter, and follows the stream of desired state (the bound source
/// and its subtasks, the relay log it pulls). While it pulls a relay log it is registered with the relay keepalive TTL
/// (DM's relay-keepalive-ttl), else with keepalive-ttl, registering again when that changes. On any failure it moves
/// to the next master and registers again; the master meanwhile may have declared it offline.
/// </summary>
public sealed class WorkerAgent(WorkerOptions options, AssignmentBoard board, ISubtaskReporter subtasks, DumpFileRegistry dumpFiles,
    Relay.RelayService relay, ILogger<WorkerAgent> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var masters = new MasterChannel(options.Masters);
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunSessionAsync(masters, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RpcException or HttpRequestException or IOException or SessionEndedException)
            {
                logger.LogWarning("lost master {Master}: {Error}; trying the next one", masters.CurrentMaster, e.Message);
                masters.Next();
                await Task.Delay(backoff, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
                continue;
            }
            backoff = TimeSpan.FromMilliseconds(200);
        }
    }

    // Whether the last registration used the relay keepalive TTL.
    private volatile bool _registeredRelaying;

    /// <summary>One registration: heartbeats and the watch run together until either fails.</summary>
    private async Task RunSessionAsync(MasterChannel masters, CancellationToken stoppingToken)
    {
        var client = masters.Client;
        await RegisterAsync(client, relay.Relaying, stoppingToken);
        logger.LogInformation("registered with master {Master}", masters.CurrentMaster);

        using var session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var heartbeats = HeartbeatAsync(client, session.Token);
        var watch = WatchAsync(client, session.Token);
        var first = await Task.WhenAny(heartbeats, watch);
        await session.CancelAsync();
        try { await Task.WhenAll(heartbeats, watch); }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && !stoppingToken.IsCancellationRequested) { }
        await first; // surfaces the failure that ended the session
        throw new SessionEndedException("the session with the master ended");
    }

    /// <summary>Registers (again) with the TTL for a worker that does or does not pull a relay log.</summary>
    private async Task RegisterAsync(WorkerHub.WorkerHubClient client, bool relaying, CancellationToken ct)
    {
        var ttl = relaying ? options.RelayKeepAliveTtl : options.KeepAliveTtl;
        await client.RegisterAsync(new RegisterRequest
        {
            Name = options.Name,
            Address = options.EffectiveAdvertiseAddr,
            KeepaliveTtlSeconds = (long)Math.Max(1, ttl.TotalSeconds),
        }, cancellationToken: ct);
        _registeredRelaying = relaying;
    }

    private async Task HeartbeatAsync(WorkerHub.WorkerHubClient client, CancellationToken ct)
    {
        var period = HeartbeatPeriod(options.KeepAliveTtl);
        while (!ct.IsCancellationRequested)
        {
            // The revision first: the statuses read after it are at least as new as the state it names.
            var request = new HeartbeatRequest { Name = options.Name, AppliedRevision = subtasks.AppliedRevision };
            request.Subtasks.AddRange(subtasks.Statuses().Select(ContractMapping.ToMessage));
            request.DumpFileSources.AddRange(dumpFiles.Sources());
            request.Relay = relay.Report();
            var response = await client.HeartbeatAsync(request, deadline: DateTime.UtcNow.Add(options.KeepAliveTtl), cancellationToken: ct);
            if (!response.Known) throw new SessionEndedException("the master no longer knows this worker");
            await Task.Delay(period, ct);
        }
    }

    /// <summary>
    /// A third of the TTL keeps the worker alive; the subtask status rides along, and query-status shows what the master
    /// last received, so it goes at least every second (DM's default 60 s TTL alone left the status 20 s stale).
    /// </summary>
    internal static TimeSpan HeartbeatPeriod(TimeSpan keepAliveTtl) =>
        TimeSpan.FromTicks(Math.Clamp(keepAliveTtl.Ticks / 3, TimeSpan.FromMilliseconds(200).Ticks, TimeSpan.FromSeconds(1).Ticks));

    private async Task WatchAsync(WorkerHub.WorkerHubClient client, CancellationToken ct)
    {
        using var call = client.Watch(new WatchRequest { Name = options.Name }, cancellationToken: ct);
        await foreach (var state in call.ResponseStream.ReadAllAsync(ct))
        {
            board.Apply(state);
            logger.LogInformation("desired state at revision {Revision}: source {Source}, {Count} subtasks, relay {Relay}",
                state.Revision, state.BoundSource == "" ? "(none)" : state.BoundSource, state.Subtasks.Count,
                state.Relay is { } r ? $"of {r.Source} ({r.ExpectedStage})" : "(none)");
            if ((state.Relay is not null) != _registeredRelaying)
            {
                await RegisterAsync(client, state.Relay is not null, ct);
                logger.LogInformation("registered again with keepalive-ttl {Ttl}", state.Relay is not null ? options.RelayKeepAliveTtl : options.KeepAliveTtl);
            }
        }
        throw new SessionEndedException("the master ended the watch");
    }

    private sealed class SessionEndedException(string message) : Exception(message);
}
