using Dm.ClusterState.Etcd;
using Dm.TestKit;
using Etcdserverpb;
using Grpc.Core;
using Grpc.Net.Client;

namespace Dm.ClusterState.Tests;

/// <summary>
/// The shared contract against a real etcd, derived once per shape of cluster: the store is given every member's
/// client URL; "reopen" is a new client on the same servers. Tests keep to their key prefix and run one at a time, so
/// revisions they see are theirs. Each test revokes every lease it left, so no lease expires during a later test and
/// moves the revision under it.
/// </summary>
public abstract class EtcdStoreContract : ClusterStoreContract
{
    protected abstract IReadOnlyList<string> Endpoints { get; }

    private EtcdClusterStoreOptions Options => new()
    {
        Endpoints = Endpoints,
        DialTimeout = TimeSpan.FromSeconds(2),
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    protected override Task<IClusterStore> CreateStoreAsync() => Task.FromResult<IClusterStore>(EtcdClusterStore.Open(Options));

    protected override async Task<IClusterStore> ReopenAsync(IClusterStore store)
    {
        await store.DisposeAsync();
        return await EtcdClusterStore.ConnectAsync(Options);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        using var channel = GrpcChannel.ForAddress(Endpoints[0]);
        var leases = new Lease.LeaseClient(channel);
        foreach (var lease in (await leases.LeaseLeasesAsync(new LeaseLeasesRequest())).Leases)
        {
            try
            {
                await leases.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease.ID });
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                // expired meanwhile
            }
        }
    }
}

/// <summary>The contract on a one-member etcd (one per class).</summary>
public sealed class EtcdClusterStoreContractTests(EtcdFixture etcd) : EtcdStoreContract, IClassFixture<EtcdFixture>
{
    protected override IReadOnlyList<string> Endpoints => [etcd.Server.ClientUrl];
}

/// <summary>
/// The contract on a real three-member etcd cluster, the shape HA masters run on: requests are spread round-robin over
/// the members, so a write on one member is read, watched and compared on another. Also etcd's membership calls.
/// </summary>
public sealed class EtcdThreeMemberContractTests(EtcdClusterFixture etcd) : EtcdStoreContract, IClassFixture<EtcdClusterFixture>
{
    protected override IReadOnlyList<string> Endpoints => etcd.Cluster.ClientUrls;

    [Fact]
    public async Task Members_are_listed_added_and_removed()
    {
        var store = (EtcdClusterStore)Store;
        var members = await store.ListMembersAsync();
        Assert.Equal(etcd.Cluster.Members.Select(m => m.Name).Order(), members.Select(m => m.Name).Order());
        Assert.All(members, m => Assert.True(m.HasStarted));
        Assert.Equal(etcd.Cluster.Members.Single(m => m.Name == "etcd1").PeerUrl, Assert.Single(members.Single(m => m.Name == "etcd1").PeerUrls));

        // An added member that never starts: listed without a name until removed (the three running keep quorum).
        var peer = $"http://127.0.0.1:{FreePort.Next()}";
        var added = await store.AddMemberAsync([peer]);
        Assert.False(added.HasStarted);
        Assert.Contains(await store.ListMembersAsync(), m => m.Id == added.Id && m.PeerUrls.SequenceEqual([peer]));
        await Assert.ThrowsAnyAsync<ClusterStoreException>(() => store.AddMemberAsync([peer]));

        await store.RemoveMemberAsync(added.Id);
        Assert.DoesNotContain(await store.ListMembersAsync(), m => m.Id == added.Id);
        await Assert.ThrowsAnyAsync<ClusterStoreException>(() => store.RemoveMemberAsync(added.Id));
    }
}
