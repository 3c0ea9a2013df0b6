using Dm.Core.Api;
using Dm.Master.Cluster;
using Dm.Master.OpenApi;
using static Dm.Master.Api.ApiCatalog;

namespace Dm.Master.Api;

/// <summary>/api/v1/cluster: cluster id and topology, masters, workers.</summary>
public static class ClusterOperations
{
    private const string Tag = "cluster";

    public static IEnumerable<ApiOperation> All(ClusterService cluster) =>
    [
        new("GET", "/api/v1/cluster/info", "DMAPIGetClusterInfo", Tag, "get cluster info such as cluster id",
            async r => r.Ok(await cluster.GetInfoAsync(r.Aborted)))
        {
            Responses = [Ok(typeof(GetClusterInfoResponse))],
        },
        new("PUT", "/api/v1/cluster/info", "DMAPIUpdateClusterInfo", Tag, "update cluster info",
            async r => r.Ok(await cluster.UpdateTopologyAsync(await r.Body<ClusterTopology>(required: false), r.Aborted)))
        {
            RequestBody = typeof(ClusterTopology),
            Responses = [Ok(typeof(GetClusterInfoResponse))],
        },
        new("GET", "/api/v1/cluster/masters", "DMAPIGetClusterMasterList", Tag, "get cluster master node list",
            async r => r.Ok(await cluster.ListMastersAsync(r.Aborted)))
        {
            Responses = [Ok(typeof(GetClusterMasterListResponse)), Failed()],
        },
        new("DELETE", "/api/v1/cluster/masters/{master-name}", "DMAPIOfflineMasterNode", Tag, "offline master node",
            async r =>
            {
                await cluster.OfflineMasterAsync(r.Path("master-name"), r.Aborted);
                return r.NoContent();
            })
        {
            Parameters = [ApiParameter.Path("master-name", "name of master")],
            Responses = [NoContent(), Failed()],
        },
        new("GET", "/api/v1/cluster/workers", "DMAPIGetClusterWorkerList", Tag, "get cluster worker node list",
            async r => r.Ok(await cluster.ListWorkersAsync(r.Aborted)))
        {
            Responses = [Ok(typeof(GetClusterWorkerListResponse)), Failed()],
        },
        new("DELETE", "/api/v1/cluster/workers/{worker-name}", "DMAPIOfflineWorkerNode", Tag, "offline worker node",
            async r =>
            {
                await cluster.OfflineWorkerAsync(r.Path("worker-name"), r.Aborted);
                return r.NoContent();
            })
        {
            Parameters = [ApiParameter.Path("worker-name", "name of worker")],
            Responses = [NoContent(), Failed()],
        },
    ];
}
