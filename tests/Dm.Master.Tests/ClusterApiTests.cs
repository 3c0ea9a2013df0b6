namespace Dm.Master.Tests;

[Collection(MasterCollection.Name)]
public sealed class ClusterApiTests(MasterEnvironment env)
{
    private ApiClient Api => env.Api;

    [Fact]
    public async Task ClusterInfoHasStableIdAndStoresTopology()
    {
        var first = await Api.Get("/api/v1/cluster/info");
        Assert.Equal(200, first.Code);
        var id = first.Json!["cluster_id"]!.GetValue<ulong>();
        Assert.NotEqual(0UL, id);

        var topology = new
        {
            master_topology_list = new[] { new { name = "master1", host = "127.0.0.1", port = 8261 } },
            worker_topology_list = new[] { new { name = "worker1", host = "127.0.0.1", port = 8262 } },
            prometheus_topology = new { host = "127.0.0.1", port = 9090 },
        };
        var put = await Api.Put("/api/v1/cluster/info", topology);
        Assert.Equal(200, put.Code);
        Assert.Equal(id, put.Json!["cluster_id"]!.GetValue<ulong>());
        Assert.Equal("master1", put.Json["topology"]!["master_topology_list"]![0]!["name"]!.GetValue<string>());

        var again = await Api.Get("/api/v1/cluster/info");
        Assert.Equal(9090, again.Json!["topology"]!["prometheus_topology"]!["port"]!.GetValue<int>());
        Assert.Equal(id, again.Json["cluster_id"]!.GetValue<ulong>());
    }

    [Fact]
    public async Task TopologyWithWrongTypesIsRefused()
    {
        var response = await Api.Put("/api/v1/cluster/info", """{"master_topology_list":[{"name":"m","host":"h","port":"8261"}]}""");
        Assert.Equal(400, response.Code);
        Assert.Contains("master_topology_list", response.ErrorMessage);
    }

    [Fact]
    public async Task MastersListShowsThisLeaderWithPeerUrl()
    {
        var response = await Api.Get("/api/v1/cluster/masters");
        Assert.Equal(200, response.Code);
        Assert.Equal(1, response.Json!["total"]!.GetValue<int>());
        var master = response.Json["data"]![0]!;
        Assert.Equal(env.Master.Name, master["name"]!.GetValue<string>());
        Assert.True(master["alive"]!.GetValue<bool>());
        Assert.True(master["leader"]!.GetValue<bool>());
        Assert.StartsWith("http://", master["addr"]!.GetValue<string>());
    }

    [Fact]
    public async Task OfflineUnknownMasterIsRefused()
    {
        var response = await Api.Delete("/api/v1/cluster/masters/no-such-master");
        Assert.Equal(400, response.Code);
        Assert.Equal(38048, response.ErrorCode);
        Assert.Contains("not exists", response.ErrorMessage);
    }

    [Fact]
    public async Task OfflineTheOnlyMasterIsRefused()
    {
        var response = await Api.Delete($"/api/v1/cluster/masters/{env.Master.Name}");
        Assert.Equal(400, response.Code);
        Assert.Equal(1, (await Api.Get("/api/v1/cluster/masters")).Json!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task WorkersListIsEmptyAndOfflineUnknownWorkerIsRefused()
    {
        var list = await Api.Get("/api/v1/cluster/workers");
        Assert.Equal(200, list.Code);
        Assert.Equal(0, list.Json!["total"]!.GetValue<int>());
        Assert.Empty(list.Json["data"]!.AsArray());

        var offline = await Api.Delete("/api/v1/cluster/workers/worker-x");
        Assert.Equal(400, offline.Code);
        Assert.Equal(46004, offline.ErrorCode);
    }
}
