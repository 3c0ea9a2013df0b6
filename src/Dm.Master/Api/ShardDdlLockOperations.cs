using Dm.Core.Api;
using Dm.Master.OpenApi;
using Dm.Master.ShardDdl;
using static Dm.Master.Api.ApiCatalog;

namespace Dm.Master.Api;

/// <summary>
/// DM#'s own operations, beyond DM's OpenAPI: the REST form of DM's show-ddl-locks and unlock-ddl-lock (dmctl
/// <c>shard-ddl-lock [task]</c> and <c>shard-ddl-lock unlock</c>), which DM serves only over the master's gRPC.
/// </summary>
public static class ShardDdlLockOperations
{
    public const string ListOperationId = "DMSharpGetShardDDLLocks";
    public const string UnlockOperationId = "DMSharpUnlockShardDDLLock";

    public static IEnumerable<ApiOperation> All(ShardDdlLockService locks) =>
    [
        new("GET", "/api/v1/tasks/{task-name}/shard-ddl-locks", ListOperationId, "task",
            "get the unresolved shard DDL locks of a task, with why each waits (DM#)",
            async r => r.Ok(await locks.ListAsync(r.Path("task-name"), r.Aborted)))
        {
            Parameters = [ApiParameter.Path("task-name", "task name")],
            Responses = [Ok(typeof(ShardDdlLockListResponse)), Failed()],
        },
        new("POST", "/api/v1/tasks/{task-name}/shard-ddl-locks/{lock-id}/unlock", UnlockOperationId, "task",
            "resolve a shard DDL lock by hand: the owner executes its DDLs (action exec) or nobody does (skip, force_remove), " +
            "without waiting for the sources that have not reached them (DM#)",
            async r => r.Ok(await locks.UnlockAsync(r.Path("task-name"), r.Path("lock-id"),
                await r.Body<ShardDdlLockUnlockRequest>(required: false), r.Aborted)))
        {
            Parameters = [ApiParameter.Path("task-name", "task name"), ApiParameter.Path("lock-id", "lock ID, as shard-ddl-lock shows it")],
            RequestBody = typeof(ShardDdlLockUnlockRequest),
            Responses = [Ok(typeof(ShardDdlLockView)), Failed()],
        },
    ];
}
