using Dm.TestKit;

namespace Dm.IntegrationTests.Ha;

/// <summary>
/// <see cref="TwoSourceCluster"/> on three masters forming one cluster (etcd members they run, election-ttl 3 s): the
/// workers join all three (keepalive-ttl 10 s, longer than a failover), and the API is asked of the third master, which
/// forwards to whichever leads.
/// </summary>
public sealed class TwoSourceMasterCluster : TwoSourceCluster
{
    public DmMasterCluster Masters { get; private set; } = null!;

    protected override async Task<MigrationEnvironment> StartEnvironmentAsync()
    {
        var upstream = MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 181 });
        var target = MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 182 });
        Masters = await DmMasterCluster.StartAsync(3, namePrefix: "shard-ha-master");
        return MigrationEnvironment.Of(await upstream, await target, Masters.Masters[2]);
    }

    protected override IEnumerable<DmMasterProcess> JoinedMasters => Masters.Masters;

    // Well beyond a failover: a worker without a master stops its subtasks after two thirds of its keepalive TTL.
    protected override int KeepAliveTtlSeconds => 20;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Masters != null) await Masters.DisposeAsync();
    }
}
