using Dm.ClusterState.Etcd;
using Dm.TestKit;
using Etcdserverpb;
using Grpc.Core;
using Grpc.Net.Client;

namespace Dm.ClusterState.Tests;

/// <summary>
/// The shared contract against a real etcd: one one-member etcd per class (tests keep to their key prefix and run
/// one at a time, so revisions they see are theirs); "reopen" is a new client on the same server. Each test revokes
/// every lease it left, so no lease expires during a later test and moves the revision under it.
/// </summary>
public sealed class EtcdClusterStoreContractTests(EtcdFixture etcd) : ClusterStoreContract, IClassFixture<EtcdFixture>
{
    private EtcdClusterStoreOptions Options => new()
    {
        Endpoints = [etcd.Server.ClientUrl],
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
        using var channel = GrpcChannel.ForAddress(etcd.Server.ClientUrl);
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
