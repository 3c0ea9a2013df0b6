using System.Text.Json.Nodes;
using Dm.Ctl.Cli;
using Dm.Ctl.Master;
using Dm.Ctl.Output;
using Dm.Ctl.TaskFiles;

namespace Dm.Ctl.Commands;

/// <summary>
/// shard-ddl-lock [task] and shard-ddl-lock unlock &lt;lock-id&gt; [-o owner] [-f] [-a skip|exec], with DM's hidden legacy
/// forms show-ddl-locks and unlock-ddl-lock: DM's ShowDDLLocks / UnlockDDLLock, through DM#'s
/// <c>/api/v1/tasks/{task}/shard-ddl-locks</c> endpoints (DM serves them over gRPC only).
/// </summary>
public sealed class ShardDdlLockCommand(string name) : ICommand
{
    public static IEnumerable<ICommand> All() => [new ShardDdlLockCommand("shard-ddl-lock"), new ShardDdlLockCommand("show-ddl-locks"), new ShardDdlLockCommand("unlock-ddl-lock")];

    public string Name => name;

    public string Usage => name switch
    {
        "show-ddl-locks" => "show-ddl-locks [-s source ...] [task-name | task-file]",
        "unlock-ddl-lock" => "unlock-ddl-lock <lock-ID> [-o owner] [-f] [-a skip|exec]",
        _ => "shard-ddl-lock [task-name | task-file] | shard-ddl-lock unlock <lock-id> [-o owner] [-f] [-a skip|exec]",
    };

    public string Description => name switch
    {
        "show-ddl-locks" => "show un-resolved DDL locks",
        "unlock-ddl-lock" => "unlock un-resolved DDL lock forcely",
        _ => "maintain or show shard-ddl locks information",
    };

    public IReadOnlyList<FlagSpec> Flags { get; } =
    [
        FlagSpec.Value("owner", "o", "source to replace the default owner"),
        FlagSpec.Bool("force-remove", "f", "force to remove DDL lock"),
        FlagSpec.Value("action", "a", "accept skip/exec values which means whether to skip or execute ddls"),
        FlagSpec.Value("database", "d", "database name of the table"),
        FlagSpec.Value("table", "t", "table name"),
    ];

    public async Task<JsonObject> RunAsync(CommandContext context, ParsedArguments args, CancellationToken ct)
    {
        var p = args.Positional;
        var unlock = name == "unlock-ddl-lock" || name == "shard-ddl-lock" && p.Count > 0 && p[0] == "unlock";
        if (!unlock)
        {
            if (args.Value("owner") is not null || args.Value("action") is not null || args.Bool("force-remove"))
                throw CtlException.Usage($"{name} shows locks; -o/-f/-a belong to `shard-ddl-lock unlock <lock-id>`");
            if (p.Count > 1) throw CtlException.Usage($"{name} takes at most one task name");
            return await ShowAsync(context.Master, p.Count == 1 ? ConfigFile.TaskName(p[0]) : null, ct);
        }
        var rest = name == "unlock-ddl-lock" ? p : p.Skip(1).ToList();
        if (rest.Count != 1) throw CtlException.Usage("unlock needs exactly one <lock-id> (as shard-ddl-lock shows it)");
        if (args.Value("database") is not null || args.Value("table") is not null)
            throw CtlException.Usage("-d/-t name a table of an optimistic lock whose DDL waits: DM#'s optimistic DDLs never wait (a conflict pauses the " +
                "subtask: binlog-schema update and binlog skip resolve it), and its locks unlock as a whole");
        var action = args.Value("action") ?? "skip";
        if (action is not ("skip" or "exec")) throw CtlException.Usage($"invalid --action \"{action}\": expected skip or exec");
        var lockId = rest[0];
        var cut = lockId.IndexOf("-`", StringComparison.Ordinal);
        if (cut <= 0) throw CtlException.Usage($"\"{lockId}\" is not a lock ID (task-`schema`.`table`)");
        var body = new JsonObject { ["action"] = action, ["force_remove"] = args.Bool("force-remove") };
        if (args.Value("owner") is { Length: > 0 } owner) body["owner"] = owner;
        await context.Master.PostAsync($"/api/v1/tasks/{MasterClient.Escape(lockId[..cut])}/shard-ddl-locks/{MasterClient.Escape(lockId)}/unlock", body, ct);
        return ResultJson.Ok();
    }

    /// <summary>DM's show-ddl-locks answer: every open lock of the task (of every task without one).</summary>
    private static async Task<JsonObject> ShowAsync(MasterClient master, string? task, CancellationToken ct)
    {
        var tasks = task is not null ? [task]
            : ((await master.GetAsync("/api/v1/tasks", ct))?["data"]?.AsArray() ?? []).Select(t => t!["name"]!.GetValue<string>()).ToList();
        var locks = new JsonArray();
        foreach (var name in tasks)
            foreach (var l in (await master.GetAsync($"/api/v1/tasks/{MasterClient.Escape(name)}/shard-ddl-locks", ct))?["data"]?.AsArray() ?? [])
                locks.Add(new JsonObject
                {
                    ["ID"] = l!["id"]!.GetValue<string>(),
                    ["task"] = l["task"]!.GetValue<string>(),
                    ["mode"] = l["mode"]!.GetValue<string>(),
                    ["owner"] = l["owner"]!.GetValue<string>(),
                    ["DDLs"] = l["ddls"]!.DeepClone(),
                    ["synced"] = l["synced"]!.DeepClone(),
                    ["unsynced"] = l["unsynced"]!.DeepClone(),
                    ["reason"] = l["reason"]!.GetValue<string>(),
                });
        var result = ResultJson.Ok(locks.Count == 0 ? "no DDL lock exists" : "");
        result["locks"] = locks;
        return result;
    }
}
