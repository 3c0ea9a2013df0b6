using Dm.Core.Errors;
using Dm.Master.Cluster;
using Dm.Master.Hosting;
using Dm.Master.OpenApi;
using static Dm.Master.Api.ApiCatalog;

namespace Dm.Master.Api;

/// <summary>
/// DM#'s own operation, beyond DM's OpenAPI: a master's running configuration (DM's GetCfg of type master,
/// dmctl <c>config master</c>), which DM serves only over gRPC. Only the answering master knows its settings.
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
                if (name != options.Name)
                {
                    var known = (await cluster.ListMastersAsync(r.Aborted)).Data.Any(m => m.Name == name);
                    throw known
                        ? DmErrors.ErrOpenAPICommonError.Wrap(new InvalidOperationException(
                            $"dm-master {name} is not the master answering ({options.Name}); only a master knows its own configuration"))
                        : DmErrors.ErrMasterMasterNameNotExist.New(name);
                }
                return r.Ok(new MasterConfigResponse { Name = name, Config = MasterConfigToml.Render(options) });
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
