using Dm.Core.Api;
using Dm.Master.OpenApi;
using Dm.Master.Sources;

namespace Dm.Master.Api;

/// <summary>
/// DM#'s own operations, beyond DM's OpenAPI: pausing and resuming a source's relay log (dmctl <c>pause-relay</c> /
/// <c>resume-relay</c>, DM's OperateWorkerRelayTask), which DM serves only over the master's gRPC. A paused relay keeps
/// its files and its readers wait; resuming also restarts a relay stopped on an error.
/// </summary>
public static class RelayStageOperations
{
    public const string PauseOperationId = "DMSharpPauseRelay";
    public const string ResumeOperationId = "DMSharpResumeRelay";

    public static IEnumerable<ApiOperation> All(SourceService sources) =>
    [
        Operation(sources, "pause", PauseOperationId, TaskStage.Paused,
            "pause the relay log of the data source: its workers stop pulling, the files stay (DM#; dmctl pause-relay)"),
        Operation(sources, "resume", ResumeOperationId, TaskStage.Running,
            "resume the relay log of the data source, also after an error (DM#; dmctl resume-relay)"),
    ];

    private static ApiOperation Operation(SourceService sources, string verb, string id, TaskStage stage, string summary) =>
        new("POST", $"/api/v1/sources/{{source-name}}/relay/{verb}", id, "source", summary, async r =>
        {
            await sources.SetRelayStageAsync(r.Path("source-name"), stage, r.Aborted);
            return r.Done();
        })
        {
            Parameters = [ApiParameter.Path("source-name", "source name")],
            Responses = [ApiCatalog.Ok(null), ApiCatalog.Failed()],
        };
}
