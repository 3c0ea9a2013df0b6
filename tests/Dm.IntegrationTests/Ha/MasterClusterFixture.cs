using Dm.TestKit;

namespace Dm.IntegrationTests.Ha;

/// <summary>Three dm-masters forming one cluster (etcd members they run, election-ttl 3 s) and an upstream MariaDB for sources.</summary>
public sealed class MasterClusterFixture : IAsyncLifetime
{
    public DmMasterCluster Cluster { get; private set; } = null!;
    public MariaDbServer Upstream { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var upstream = MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 161 });
        Cluster = await DmMasterCluster.StartAsync(3, namePrefix: "ha-master");
        Upstream = await upstream;
    }

    public async Task DisposeAsync()
    {
        if (Cluster != null) await Cluster.DisposeAsync();
        if (Upstream != null) await Upstream.DisposeAsync();
    }
}
