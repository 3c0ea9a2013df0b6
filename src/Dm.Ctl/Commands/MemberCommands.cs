using System.Text.Json.Nodes;
using Dm.Core.Api;
using Dm.Ctl.Cli;
using Dm.Ctl.Master;
using Dm.Ctl.Output;

namespace Dm.Ctl.Commands;

/// <summary>list-member: leader, masters and workers in DM's ListMember shape, from /cluster/masters and /cluster/workers.</summary>
public sealed class ListMemberCommand : ICommand
{
    public string Name => "list-member";
    public string Usage => "list-member [--leader] [--master] [--worker] [--name master-name/worker-name ...]";
    public string Description => "list members' information";

    public IReadOnlyList<FlagSpec> Flags { get; } =
    [
        FlagSpec.Bool("leader", "l", "only to list leader information"),
        FlagSpec.Bool("master", "m", "only to list master information"),
        FlagSpec.Bool("worker", "w", "only to list worker information"),
        FlagSpec.List("name", "n", "specify member names in choosing type"),
    ];

    public async Task<JsonObject> RunAsync(CommandContext context, ParsedArguments args, CancellationToken ct)
    {
        if (args.Positional.Count > 0) throw CtlException.Usage("list-member takes no positional arguments");
        var (leader, master, worker) = (args.Bool("leader"), args.Bool("master"), args.Bool("worker"));
        if (!leader && !master && !worker) (leader, master, worker) = (true, true, true);
        var names = args.List("name");
        var members = new JsonArray();
        if (leader || master)
        {
            var masters = MasterClient.FromBody<GetClusterMasterListResponse>(await context.Master.GetAsync("/api/v1/cluster/masters", ct)).Data;
            if (leader)
            {
                var l = masters.FirstOrDefault(m => m.Leader);
                members.Add(new JsonObject
                {
                    ["leader"] = new JsonObject { ["msg"] = l == null ? "no leader" : "", ["name"] = l?.Name ?? "", ["addr"] = l?.Addr ?? "" },
                });
            }
            if (master)
            {
                var shown = masters.Where(m => names.Count == 0 || names.Contains(m.Name)).OrderBy(m => m.Name, StringComparer.Ordinal);
                members.Add(new JsonObject
                {
                    ["master"] = new JsonObject
                    {
                        ["msg"] = "",
                        ["masters"] = new JsonArray([.. shown.Select(m => (JsonNode)new JsonObject
                        {
                            ["name"] = m.Name,
                            ["alive"] = m.Alive,
                            ["leader"] = m.Leader,
                            // The API's addr is the member's peer URL (DM's GET /cluster/masters gives the same).
                            ["peerURLs"] = new JsonArray(m.Addr),
                        })]),
                    },
                });
            }
        }
        if (worker)
        {
            var workers = MasterClient.FromBody<GetClusterWorkerListResponse>(await context.Master.GetAsync("/api/v1/cluster/workers", ct)).Data;
            var shown = workers.Where(w => names.Count == 0 || names.Contains(w.Name)).OrderBy(w => w.Name, StringComparer.Ordinal);
            members.Add(new JsonObject
            {
                ["worker"] = new JsonObject
                {
                    ["msg"] = "",
                    ["workers"] = new JsonArray([.. shown.Select(w => (JsonNode)new JsonObject
                    {
                        ["name"] = w.Name,
                        ["addr"] = w.Addr,
                        ["stage"] = w.BoundStage,
                        ["source"] = w.BoundSourceName,
                    })]),
                },
            });
        }
        var result = ResultJson.Ok();
        result["members"] = members;
        return result;
    }
}

/// <summary>offline-member --master|--worker --name: DELETE /cluster/masters/{name} or /cluster/workers/{name}.</summary>
public sealed class OfflineMemberCommand : ICommand
{
    public string Name => "offline-member";
    public string Usage => "offline-member <--master/--worker> <--name master-name/worker-name>";
    public string Description => "offline member which has been closed";

    public IReadOnlyList<FlagSpec> Flags { get; } =
    [
        FlagSpec.Bool("master", "m", "to offline a master"),
        FlagSpec.Bool("worker", "w", "to offline a worker"),
        FlagSpec.Value("name", "n", "specify member name for choosing type"),
    ];

    public async Task<JsonObject> RunAsync(CommandContext context, ParsedArguments args, CancellationToken ct)
    {
        var (master, worker) = (args.Bool("master"), args.Bool("worker"));
        if (master == worker) throw CtlException.Usage("offline-member needs exactly one of --master or --worker");
        var name = args.Value("name");
        if (string.IsNullOrEmpty(name)) throw CtlException.Usage("offline-member needs --name");
        await context.Master.DeleteAsync($"/api/v1/cluster/{(master ? "masters" : "workers")}/{MasterClient.Escape(name)}", ct);
        return ResultJson.Ok();
    }
}

/// <summary>
/// operate-leader evict|cancel-evict: DM's OperateLeader at its gateway path (PUT /apis/v1alpha1/leader/{op}), which acts on
/// the master dmctl reaches (the first answering address of --master-addr), never forwarded: evict makes it resign if it
/// leads and stand for no election, cancel-evict lets it stand again.
/// </summary>
public sealed class OperateLeaderCommand : ICommand
{
    /// <summary>dmctl's words for the operations, and DM's LeaderOp names the gateway path takes.</summary>
    private static readonly Dictionary<string, string> Operations = new(StringComparer.Ordinal)
    {
        ["evict"] = "EvictLeaderOp",
        ["cancel-evict"] = "CancelEvictLeaderOp",
    };

    public string Name => "operate-leader";
    public string Usage => "operate-leader <evict | cancel-evict>";
    public string Description => "`evict`/`cancel-evict` the leader";
    public IReadOnlyList<FlagSpec> Flags => [];

    public async Task<JsonObject> RunAsync(CommandContext context, ParsedArguments args, CancellationToken ct)
    {
        if (args.Positional is not [var word] || !Operations.TryGetValue(word, out var op))
            throw CtlException.Usage("operate-leader needs one of evict or cancel-evict");
        await context.Master.PutAsync($"/apis/v1alpha1/leader/{op}", null, ct);
        return ResultJson.Ok();
    }
}

/// <summary>transfer-source source worker: POST /sources/{source}/transfer.</summary>
public sealed class TransferSourceCommand : ICommand
{
    public string Name => "transfer-source";
    public string Usage => "transfer-source <source-id> <worker-id>";
    public string Description => "transfer the upstream source to a free worker";
    public IReadOnlyList<FlagSpec> Flags { get; } = [];

    public async Task<JsonObject> RunAsync(CommandContext context, ParsedArguments args, CancellationToken ct)
    {
        if (args.Positional.Count != 2) throw CtlException.Usage("transfer-source needs <source-id> <worker-id>");
        var (source, worker) = (args.Positional[0], args.Positional[1]);
        await context.Master.PostAsync($"/api/v1/sources/{MasterClient.Escape(source)}/transfer", new JsonObject { ["worker_name"] = worker }, ct);
        return ResultJson.Ok();
    }
}
