using Dm.Master.Cluster;
using Dm.Master.Hosting;
using Dm.Master.OpenApi;
using static Dm.Master.Api.ApiCatalog;

namespace Dm.Master.Api;

/// <summary>
/// DM#'s own operation, beyond DM's OpenAPI: a master's running configuration (DM's GetCfg of type master,
/// dmctl <c>config master</c>), which DM serves only over gRPC. Each master records its settings when it starts, so
/// whichever master answers (the leader) gives any member's.
/// </summary>
public static class MasterConfigOperations
{
    public const string OperationId = "DMSharpGetMasterConfig";

    public static IEnumerable<ApiOperation> All(MasterOptions options, ClusterService cluster) =>
    [
        new("GET", "/api/v1/cluster/masters/{master-name}/config", OperationId, "cluster",
            "get a master's running configuration as its TOML config file (DM#; DM's GetCfg master)",
            async r =>
            {
                var name = r.Path("master-name");
                var config = name == options.Name ? MasterConfigToml.Render(options) : await cluster.MasterConfigAsync(name, r.Aborted);
                return r.Ok(new MasterConfigResponse { Name = name, Config = config });
            })
        {
            Parameters = [ApiParameter.Path("master-name", "master name")],
            Responses = [Ok(typeof(MasterConfigResponse)), Failed()],
        },
    ];
}

public sealed record MasterConfigResponse
{
    public required string Name { get; init; }

    /// <summary>The settings in the TOML form dm-master's <c>--config</c> reads.</summary>
    public required string Config { get; init; }
}
