using Dm.Core.Api;
using Dm.Core.Errors;
using Dm.Master.OpenApi;

namespace Dm.Master.Ha;

/// <summary>
/// DM's OperateLeader, at the path DM's HTTP gateway gives it (<c>PUT /apis/v1alpha1/leader/{op}</c>, op
/// <c>EvictLeaderOp</c>/<c>1</c> or <c>CancelEvictLeaderOp</c>/<c>2</c>; the only path of that legacy gateway DM# serves).
/// As in DM it acts on the master that receives it and is never forwarded: evict makes that master resign if it leads
/// and stand for no election; cancel-evict lets it stand again. Answers DM's <c>{"result": true, "msg": ""}</c>.
/// </summary>
public static class LeaderOperations
{
    public const string Path = "/apis/v1alpha1/leader/{op}";

    public static void Map(WebApplication app, MasterElection election) =>
        app.MapMethods(Path, ["PUT"], (string op) =>
        {
            switch (op)
            {
                case "EvictLeaderOp" or "1":
                    election.Evict();
                    break;
                case "CancelEvictLeaderOp" or "2":
                    election.CancelEviction();
                    break;
                default:
                    var error = DmErrors.ErrMasterInvalidOperateOp.New(op, "leader");
                    return ApiResults.Error(StatusCodes.Status400BadRequest, error.ToErrorMessage(), error.Code, ApiJson.Options);
            }
            return Results.Json(new OperateLeaderResponse(true, ""), ApiJson.Options);
        });
}

/// <summary>DM's OperateLeaderResponse as its gateway renders it.</summary>
public sealed record OperateLeaderResponse(bool Result, string Msg);
