using Dm.Master.OpenApi;
using Dm.Master.Tasks;
using static Dm.Master.Api.ApiCatalog;

namespace Dm.Master.Api;

/// <summary>
/// DM#'s own operations, beyond DM's OpenAPI: the REST form of DM's HandleError (dmctl <c>binlog
/// skip|replace|list|revert</c>), which DM serves only over the master's gRPC.
/// </summary>
public static class BinlogOperations
{
    public const string OperationId = "DMSharpOperateTaskBinlog";

    public static IEnumerable<ApiOperation> All(BinlogErrorService binlog) =>
    [
        new("POST", "/api/v1/tasks/{task-name}/binlog/{operation}", OperationId, "task",
            "skip or replace the binlog event a task stopped on, or list / revert such operations (DM#)",
            async r => r.Ok(await binlog.OperateAsync(r.Path("task-name"), r.Path("operation"),
                await r.Body<BinlogOperationRequest>(required: false), r.Aborted)))
        {
            Parameters = [ApiParameter.Path("task-name", "task name"), ApiParameter.Path("operation", "skip, replace, list or revert")],
            RequestBody = typeof(BinlogOperationRequest),
            Responses = [Ok(typeof(BinlogOperationResponse)), Failed()],
        },
    ];
}
