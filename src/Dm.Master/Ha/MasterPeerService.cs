using Dm.ClusterState;
using Dm.ClusterState.Etcd;
using Dm.Master.State;
using Dm.Contracts;
using Dm.Master.Hosting;
using Grpc.Core;

namespace Dm.Master.Ha;

/// <summary>
/// The masters' side of <c>--join</c> (master_peer.proto): a running master adds the joining one to the cluster's etcd
/// as a member and answers the initial cluster it must start its member with, as <c>etcdctl member add</c> prints it.
/// Any master of the cluster can do it (etcd's leader applies the change). A member added before that never started
/// (the joining master failed before its member ran) is added no second time.
/// </summary>
public sealed class MasterPeerService([FromKeyedServices(MasterStores.Unguarded)] IClusterStore store, ClusterSetup setup, MasterOptions options, ILogger<MasterPeerService> logger)
    : MasterPeer.MasterPeerBase
{
    public override async Task<AddMemberResponse> AddMember(AddMemberRequest request, ServerCallContext context)
    {
        if (setup.Kind != ClusterStateKind.EtcdMember || store is not EtcdClusterStore etcd)
            throw Refuse(StatusCode.FailedPrecondition, $"dm-master {options.Name} " + (setup.Kind == ClusterStateKind.Local
                ? "runs alone on its local store (started without initial-cluster or join)"
                : "keeps the cluster state in an etcd it does not run (etcd-endpoints)") +
                ": a master can join only masters that run etcd members (started with initial-cluster)");
        if (string.IsNullOrWhiteSpace(request.Name) || request.PeerUrls.Count == 0)
            throw Refuse(StatusCode.InvalidArgument, "a joining master must give its name and peer URLs");
        var ct = context.CancellationToken;
        var peers = request.PeerUrls.Order(StringComparer.Ordinal).ToList();
        try
        {
            var members = await etcd.ListMembersAsync(ct);
            var same = members.FirstOrDefault(m => m.PeerUrls.Order(StringComparer.Ordinal).SequenceEqual(peers));
            if (members.FirstOrDefault(m => m.Name == request.Name && m != same) is { } namesake)
                throw Refuse(StatusCode.AlreadyExists, $"the cluster has a member named {request.Name} already (peer URLs {string.Join(',', namesake.PeerUrls)}); " +
                    $"take it offline first (dmctl offline-member --master --name {request.Name}) or choose another name");
            if (same is { HasStarted: true })
                throw Refuse(StatusCode.AlreadyExists, $"member {same.Name} already uses peer URLs {string.Join(',', peers)} and has run: " +
                    $"restart it on its own data dir, or take it offline first (dmctl offline-member --master --name {same.Name})");
            if (same == null)
            {
                same = await etcd.AddMemberAsync(peers, ct);
                logger.LogInformation("added dm-master {Name} ({PeerUrls}) to the cluster as etcd member {Id:x}", request.Name, string.Join(',', peers), same.Id);
                members = await etcd.ListMembersAsync(ct);
            }
            var initialCluster = string.Join(',', members.SelectMany(m => m.PeerUrls.Select(u => $"{(m.Id == same.Id ? request.Name : m.Name)}={u}")));
            return new AddMemberResponse { InitialCluster = initialCluster };
        }
        catch (ClusterStoreUnavailableException e)
        {
            throw Refuse(StatusCode.Unavailable, $"the cluster's etcd cannot be reached now: {e.Message}");
        }
        catch (ClusterStoreException e)
        {
            throw Refuse(StatusCode.FailedPrecondition, $"etcd refused to add the member: {e.Message}");
        }
    }

    private static RpcException Refuse(StatusCode code, string message) => new(new Status(code, message));
}
