using Dm.ClusterState;
using Dm.Contracts;
using Dm.Core.Api;
using Dm.Master.Ha;
using Dm.Master.State;
using Grpc.Core;

namespace Dm.Master.Workers;

/// <summary>
/// The master's end of the worker channel: registration, heartbeats (which keep the worker's lease and
/// carry its subtask status) and the stream of desired state the worker converges on. Served by the leader only: a
/// follower sends the worker to the leader, and a leader whose term ends closes its streams. Every call must carry the
/// cluster's join secret; heartbeats and watches also the session token the worker's registration returned, and they
/// serve only the name of that session (<see cref="WorkerLeases"/>).
/// </summary>
public sealed class WorkerHubService(
    IClusterStore store,
    WorkerLeases leases,
    SourceScheduler scheduler,
    DesiredStateReader desired,
    WorkerStatusBoard statuses,
    ShardDdl.ShardDdlLocks shardDdlLocks,
    MasterState state,
    MasterElection election,
    JoinSecret secret,
    Hosting.MasterOptions options,
    ILogger<WorkerHubService> logger) : WorkerHub.WorkerHubBase
{
    public override async Task<RegisterResponse> Register(RegisterRequest request, ServerCallContext context)
    {
        secret.Require(context, "Register");
        election.RequireLeaderForWorkers();
        if (string.IsNullOrWhiteSpace(request.Name) || string.IsNullOrWhiteSpace(request.Address))
            throw new RpcException(new Status(StatusCode.InvalidArgument, "worker name and address are required"));
        var ttl = request.KeepaliveTtlSeconds > 0 ? request.KeepaliveTtlSeconds : (long)options.KeepAliveTtl.TotalSeconds;
        string session;
        try
        {
            session = await leases.RegisterAsync(request.Name, request.Address, ttl,
                context.RequestHeaders.GetValue(WorkerChannelAuth.SessionHeader), context.CancellationToken);
        }
        catch (InvalidOperationException e)
        {
            logger.LogWarning("registration of worker {Worker} from {Peer} refused: {Error}", request.Name, context.Peer, e.Message);
            throw new RpcException(new Status(StatusCode.AlreadyExists, e.Message));
        }
        catch (NotLeaderException e)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"dm-master {options.Name}: {e.Message}; register again"));
        }
        scheduler.Poke();
        return new RegisterResponse { MasterName = options.Name, Session = session };
    }

    public override async Task<HeartbeatResponse> Heartbeat(HeartbeatRequest request, ServerCallContext context)
    {
        secret.Require(context, "Heartbeat");
        election.RequireLeaderForWorkers();
        bool known;
        try
        {
            known = await leases.HeartbeatAsync(request.Name, context.RequestHeaders.GetValue(WorkerChannelAuth.SessionHeader), context.CancellationToken);
        }
        catch (UnauthorizedAccessException e)
        {
            throw Refused(request.Name, context, e.Message);
        }
        if (known)
        {
            var list = new List<SubTaskStatus>();
            foreach (var status in request.Subtasks)
            {
                try { list.Add(ContractMapping.ToApi(status)); }
                catch (InvalidDataException e) { logger.LogWarning("worker {Worker} sent a status I cannot read: {Error}", request.Name, e.Message); }
            }
            statuses.Report(request.Name, list, request.AppliedRevision);
            statuses.ReportDumpFiles(request.Name, request.DumpFileSources);
            statuses.ReportRelay(request.Name, RelayOf(request));
        }
        var response = new HeartbeatResponse { Known = known };
        if (known && request.ShardDdlInfos.Count > 0)
        {
            var bound = (await state.BoundsAsync(context.CancellationToken)).FirstOrDefault(b => b.Value == request.Name).Key;
            foreach (var info in request.ShardDdlInfos)
                response.ShardDdlOperations.Add(await shardDdlLocks.HandleAsync(info, bound, context.CancellationToken));
        }
        return response;
    }

    /// <summary>The relay log status a heartbeat carries, as the API shows it; null when the worker pulls none (or sent one it cannot read).</summary>
    private WorkerStatusBoard.RelayReport? RelayOf(HeartbeatRequest request)
    {
        if (request.Relay is not { Status: { } status } relay) return null;
        try
        {
            return new WorkerStatusBoard.RelayReport(relay.Source, ContractMapping.ToApi(status), relay.HasErrorMsg ? relay.ErrorMsg : null);
        }
        catch (InvalidDataException e)
        {
            logger.LogWarning("worker {Worker} sent a relay status I cannot read: {Error}", request.Name, e.Message);
            return null;
        }
    }

    public override async Task Watch(WatchRequest request, IServerStreamWriter<DesiredState> responseStream, ServerCallContext context)
    {
        secret.Require(context, "Watch");
        var term = election.RequireLeaderForWorkers();
        var session = context.RequestHeaders.GetValue(WorkerChannelAuth.SessionHeader);
        if (!leases.Owns(request.Name, session)) throw Refused(request.Name, context, $"the call does not hold the session of dm-worker {request.Name}");
        using var streaming = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, term.Token);
        var ct = streaming.Token;
        var changed = new SemaphoreSlim(0);
        var revision = await store.GetRevisionAsync(ct);
        StoreChanges.Follow(store,
            [MasterKeys.BoundWorkerPrefix, MasterKeys.SourcePrefix, MasterKeys.TaskPrefix, MasterKeys.SubtaskStagePrefix, MasterKeys.RelayStagePrefix,
             MasterKeys.RelayWorkerPrefix],
            revision, () => changed.Release(), logger, ct);

        DesiredState? sent = null;
        while (!ct.IsCancellationRequested)
        {
            // A session replaced (the worker registered again) or expired ends its watch.
            if (!leases.Owns(request.Name, session)) break;
            var state = await desired.ReadAsync(request.Name, ct);
            if (sent == null || !DesiredStateReader.SameWork(sent, state))
            {
                await responseStream.WriteAsync(state, ct);
                sent = state;
            }
            try { await changed.WaitAsync(TimeSpan.FromSeconds(5), ct); }
            catch (OperationCanceledException) { break; }
            while (changed.CurrentCount > 0) await changed.WaitAsync(ct);
        }
    }

    private RpcException Refused(string worker, ServerCallContext context, string reason)
    {
        logger.LogWarning("worker channel call {Method} for {Worker} from {Peer} refused: {Reason}", context.Method, worker, context.Peer, reason);
        return new RpcException(new Status(StatusCode.PermissionDenied, reason));
    }
}
