using Dm.Master.Hosting;
using Dm.Master.OpenApi;

namespace Dm.Master.Api;

/// <summary>Every operation of DM's OpenAPI, in the order of DM's spec, then DM#'s own few.</summary>
public static class ApiCatalog
{
    public static IReadOnlyList<ApiOperation> All(MasterServices services) =>
    [
        .. DocsOperations.All(services.DocumentJson),
        .. SourceOperations.All(services.Sources),
        .. TaskOperations.All(services.Tasks, services.TaskUpstream, services.TableStructures, services.Conversion),
        .. TemplateOperations.All(services.Templates),
        .. ClusterOperations.All(services.Cluster),
        .. BinlogOperations.All(services.Binlog),
        .. ShardDdlLockOperations.All(services.ShardDdlLocks),
        .. RelayStageOperations.All(services.Sources),
        .. TaskCheckOperations.All(services.Checks),
        .. SecretOperations.All(services.Secrets, services.JoinSecret),
        .. MasterConfigOperations.All(services.Options, services.Cluster),
    ];

    internal static ApiResponse Ok(Type? body, string description = "success") => new(200, body, description);
    internal static ApiResponse Created(Type body) => new(201, body, "success");
    internal static ApiResponse NoContent() => new(204, null, "success");
    internal static ApiResponse Failed() => new(400, typeof(Dm.Core.Api.ErrorWithMessage), "failed");
}
