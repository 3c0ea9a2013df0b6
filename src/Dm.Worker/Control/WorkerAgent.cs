using Dm.Contracts;
using Dm.Core.Tls;
using Dm.Worker.Dump;
using Dm.Worker.Hosting;
using Grpc.Core;

namespace Dm.Worker.Control;

/// <summary>
/// Keeps this worker known to the master: registers, heartbeats (carrying its subtasks' status) every second, or
/// every third of the keepalive TTL if that is shorter, and follows the stream of desired state (the bound source
/// and its subtasks, the relay log it pulls). While it pulls a relay log it is registered with the relay keepalive TTL
/// (DM's relay-keepalive-ttl), else with keepalive-ttl, registering again when that changes. On any failure it moves
/// to the next master and registers again; the master meanwhile may have declared it offline. A master that is not the leader names the leader, and the worker goes there at once.
/// A worker that has not renewed its keepalive for two thirds of its TTL stops its subtasks (the master may bind the source
/// to another worker once the TTL has passed); they run again when a master sends the state anew.
/// </summary>
public sealed class WorkerAgent(WorkerOptions options, AssignmentBoard board, ISubtaskReporter subtasks, DumpFileRegistry dumpFiles,
    ShardDdlMailbox shardDdl, JoinSecretSource secret, ProcessTls tls, Relay.RelayService relay, TimeProvider time, ILogger<WorkerAgent> logger)
    : BackgroundService
{
    private readonly KeepaliveLease _keepalive = new(time, options.KeepAliveTtl);
    private long _session;
    // The token of the master's last session for this worker: its calls carry it, and a registration again (after a
    // failure, at another master, or with another TTL) presents it so that the name, still online in that session, is
    // given back to it.
    private string? _sessionToken;
    private readonly WorkerSessionFile _sessionFile = WorkerSessionFile.For(options);
    private bool _sessionRead;
    // Whether the last registration used the relay keepalive TTL.
    private volatile bool _registeredRelaying;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var watchdog = WatchdogAsync(stoppingToken);
        try
        {
            await KeepSessionsAsync(stoppingToken);
        }
        finally
        {
            try { await watchdog; } catch (OperationCanceledException) { }
        }
    }

    /// <summary>
    /// Stops the subtasks when the keepalive has not been renewed for two thirds of the TTL of the last registration (the
    /// relay keepalive TTL while relaying); a heartbeat answered again resumes them.
    /// </summary>
    private async Task WatchdogAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, stoppingToken);
            if (!_keepalive.Lapsing || board.Current.BoundSource == "") continue;
            logger.LogWarning("keepalive not renewed for {Silent:0.0} s (TTL {Ttl} s): stopping the subtasks of source {Source} before the master may bind it anew",
                _keepalive.Silent.TotalSeconds, _keepalive.Ttl.TotalSeconds, board.Current.BoundSource);
            board.Suspend(Interlocked.Read(ref _session));
        }
    }

    private async Task KeepSessionsAsync(CancellationToken stoppingToken)
    {
        using var masters = new MasterChannel(options.Masters, tls.Identity);
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
            catch (RpcException e) when (LeaderRedirect.LeaderAddressOf(e) is { } leader)
            {
                logger.LogInformation("master {Master} is not the leader: going to the leader at {Leader}", masters.CurrentMaster, leader);
                masters.RedirectTo(leader);
                backoff = TimeSpan.FromMilliseconds(200);
                await Task.Delay(TimeSpan.FromMilliseconds(50), stoppingToken);
                continue;
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

    /// <summary>One registration: heartbeats and the watch run together until either fails.</summary>
    private async Task RunSessionAsync(MasterChannel masters, CancellationToken stoppingToken)
    {
        var client = masters.Client;
        var session = Interlocked.Increment(ref _session);
        var joinSecret = secret.Read();
        await RegisterAsync(client, joinSecret, relay.Relaying, stoppingToken);
        var headers = WorkerChannelAuth.Headers(joinSecret, _sessionToken);
        logger.LogInformation("registered with master {Master}", masters.CurrentMaster);

        using var ending = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var heartbeats = HeartbeatAsync(client, headers, session, ending.Token);
        var watch = WatchAsync(client, headers, ending.Token);
        var first = await Task.WhenAny(heartbeats, watch);
        await ending.CancelAsync();
        try { await Task.WhenAll(heartbeats, watch); }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && !stoppingToken.IsCancellationRequested) { }
        await first; // surfaces the failure that ended the session
        throw new SessionEndedException("the session with the master ended");
    }

    /// <summary>
    /// Registers (again) with the TTL for a worker that does or does not pull a relay log, presenting the session it holds
    /// (a registration again within a live session keeps its token, so the calls under way go on).
    /// </summary>
    private async Task RegisterAsync(WorkerHub.WorkerHubClient client, string joinSecret, bool relaying, CancellationToken ct)
    {
        var ttl = relaying ? options.RelayKeepAliveTtl : options.KeepAliveTtl;
        if (!_sessionRead)
        {
            // A run before this one (killed) may still hold the name: its token gives it back.
            _sessionToken ??= _sessionFile.Read();
            _sessionRead = true;
        }
        var registered = await client.RegisterAsync(new RegisterRequest
        {
            Name = options.Name,
            Address = options.EffectiveAdvertiseAddr,
            KeepaliveTtlSeconds = (long)Math.Max(1, ttl.TotalSeconds),
        }, WorkerChannelAuth.Headers(joinSecret, _sessionToken), cancellationToken: ct);
        if (registered.Session != _sessionToken)
        {
            _sessionToken = registered.Session;
            try { _sessionFile.Write(registered.Session); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("cannot keep the session token in {File} ({Error}): after a restart this worker waits for its old session to expire",
                    _sessionFile.Path, e.Message);
            }
        }
        _registeredRelaying = relaying;
        _keepalive.Registered(ttl);
    }

    private async Task HeartbeatAsync(WorkerHub.WorkerHubClient client, Metadata headers, long session, CancellationToken ct)
    {
        var period = HeartbeatPeriod(options.KeepAliveTtl);
        while (!ct.IsCancellationRequested)
        {
            // The revision first: the statuses read after it are at least as new as the state it names.
            var request = new HeartbeatRequest { Name = options.Name, AppliedRevision = subtasks.AppliedRevision };
            request.Subtasks.AddRange(subtasks.Statuses().Select(ContractMapping.ToMessage));
            request.DumpFileSources.AddRange(dumpFiles.Sources());
            var infos = shardDdl.Infos();
            request.ShardDdlInfos.AddRange(infos);
            request.Relay = relay.Report();
            var sent = _keepalive.Now;
            var response = await client.HeartbeatAsync(request, headers, deadline: DateTime.UtcNow.Add(options.KeepAliveTtl), cancellationToken: ct);
            if (!response.Known) throw new SessionEndedException("the master no longer knows this worker");
            shardDdl.Answer(infos, response.ShardDdlOperations);
            // Renewed as of when it was sent: the lease's TTL counts from no later than that.
            _keepalive.Renewed(sent);
            board.Resume(session);
            await Task.Delay(period, ct);
        }
    }

    /// <summary>
    /// A third of the TTL keeps the worker alive; the subtask status rides along, and query-status shows what the master
    /// last received, so it goes at least every second (DM's default 60 s TTL alone left the status 20 s stale).
    /// </summary>
    internal static TimeSpan HeartbeatPeriod(TimeSpan keepAliveTtl) =>
        TimeSpan.FromTicks(Math.Clamp(keepAliveTtl.Ticks / 3, TimeSpan.FromMilliseconds(200).Ticks, TimeSpan.FromSeconds(1).Ticks));

    private async Task WatchAsync(WorkerHub.WorkerHubClient client, Metadata headers, CancellationToken ct)
    {
        using var call = client.Watch(new WatchRequest { Name = options.Name }, headers, cancellationToken: ct);
        await foreach (var state in call.ResponseStream.ReadAllAsync(ct))
        {
            board.Apply(state);
            logger.LogInformation("desired state at revision {Revision}: source {Source}, {Count} subtasks, relay {Relay}",
                state.Revision, state.BoundSource == "" ? "(none)" : state.BoundSource, state.Subtasks.Count,
                state.Relay is { } r ? $"of {r.Source} ({r.ExpectedStage})" : "(none)");
            if ((state.Relay is not null) != _registeredRelaying)
            {
                await RegisterAsync(client, secret.Read(), state.Relay is not null, ct);
                logger.LogInformation("registered again with keepalive-ttl {Ttl}", state.Relay is not null ? options.RelayKeepAliveTtl : options.KeepAliveTtl);
            }
        }
        throw new SessionEndedException("the master ended the watch");
    }

    private sealed class SessionEndedException(string message) : Exception(message);
}
