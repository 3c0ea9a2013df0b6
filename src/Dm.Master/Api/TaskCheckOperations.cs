using Dm.Master.OpenApi;
using Dm.Master.Tasks;
using static Dm.Master.Api.ApiCatalog;

namespace Dm.Master.Api;

/// <summary>
/// DM#'s own operation, beyond DM's OpenAPI: the REST form of DM's CheckTask (dmctl <c>check-task</c>), which DM
/// serves only over the master's gRPC. It takes DM's task.yaml unchanged and changes no state.
/// </summary>
public static class TaskCheckOperations
{
    public const string OperationId = "DMSharpCheckTask";

    public static IEnumerable<ApiOperation> All(TaskCheckService checks) =>
    [
        new("POST", "/api/v1/tasks/check", OperationId, "task",
            "run the validation and pre-check of a task.yaml without creating the task (DM#; DM's CheckTask)",
            async r => r.Ok(await checks.CheckAsync(await r.Body<TaskCheckRequest>(required: true), r.Aborted)))
        {
            RequestBody = typeof(TaskCheckRequest),
            Responses = [Ok(typeof(TaskCheckResponse), "checked: result false when an item failed"), Failed()],
        },
    ];
}
