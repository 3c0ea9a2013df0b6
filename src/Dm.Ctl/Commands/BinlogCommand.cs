using System.Text.Json.Nodes;
using Dm.Ctl.Cli;
using Dm.Ctl.Master;
using Dm.Ctl.Output;
using Dm.Ctl.TaskFiles;
using Dm.Sql.Parsing;

namespace Dm.Ctl.Commands;

/// <summary>
/// binlog skip|replace|list|revert [-b pos] [-s source ...] task [sql ...]: DM's HandleError, through DM#'s
/// <c>POST /api/v1/tasks/{task}/binlog/{op}</c>. <c>inject</c> stays unsupported (DM# has no injection).
/// </summary>
public sealed class BinlogCommand : ICommand
{
    public const string BinlogPosFlag = "binlog-pos";

    public string Name => "binlog";
    public string Usage => "binlog <skip | replace | revert | list> [-b binlog-pos] [-s source ...] <task-name> [sql ...]";
    public string Description => "manage or show binlog operations";

    public IReadOnlyList<FlagSpec> Flags { get; } =
    [
        FlagSpec.Value(BinlogPosFlag, "b", "position used to match binlog event, e.g. \"mysql-bin|000001.000003:3270\""),
    ];

    public async Task<JsonObject> RunAsync(CommandContext context, ParsedArguments args, CancellationToken ct)
    {
        var p = args.Positional;
        if (p.Count == 0) throw CtlException.Usage("binlog needs a sub-command: skip, replace, revert or list");
        var op = p[0];
        if (op == "inject")
            throw CtlException.Unsupported("binlog inject", "a Sync unit that injects statements before an event, which DM# does not have");
        if (op is not ("skip" or "replace" or "revert" or "list"))
            throw CtlException.Usage($"invalid binlog sub-command \"{op}\": expected skip, replace, revert or list");
        if (p.Count < 2) throw CtlException.Usage($"binlog {op} needs <task-name>");
        var sqls = p.Skip(2).ToList();
        if (op == "replace" && sqls.Count == 0) throw CtlException.Usage("binlog replace needs the SQL statements to replace the event with");
        if (op != "replace" && sqls.Count > 0) throw CtlException.Usage($"binlog {op} takes only <task-name>");
        return await RunAsync(context.Master, op, ConfigFile.TaskName(p[1]), args.Value(BinlogPosFlag), args.List(GlobalFlags.Source), sqls, ct);
    }

    /// <summary>Asks the master and prints DM's HandleError answer: one line per source.</summary>
    public static async Task<JsonObject> RunAsync(MasterClient master, string op, string task, string? binlogPos, List<string> sources,
        List<string> sqlArgs, CancellationToken ct)
    {
        var body = new JsonObject();
        if (!string.IsNullOrEmpty(binlogPos)) body["binlog_pos"] = binlogPos;
        // DM joins the arguments and splits them into statements with its parser; ours splits on the lexer.
        if (sqlArgs.Count > 0) body["sqls"] = new JsonArray([.. Statements(sqlArgs).Select(s => JsonValue.Create(s))]);
        if (sources.Count > 0) body["source_name_list"] = new JsonArray([.. sources.Distinct().Select(s => JsonValue.Create(s))]);
        var answer = await master.PostAsync($"/api/v1/tasks/{MasterClient.Escape(task)}/binlog/{op}", body, ct);

        var lines = new JsonArray();
        var firstError = "";
        foreach (var item in answer?["data"]?.AsArray() ?? [])
        {
            var ok = item!["result"]!.GetValue<bool>();
            var msg = ok ? ListedOperations(item) : item["error_msg"]?.GetValue<string>() ?? "";
            if (!ok && firstError == "") firstError = msg;
            lines.Add(ResultJson.SourceLine(item["source_name"]!.GetValue<string>(), item["worker_name"]!.GetValue<string>(), ok, msg));
        }
        var result = firstError == "" ? ResultJson.Ok() : ResultJson.Failed(firstError);
        result["sources"] = lines;
        return result;
    }

    private static IReadOnlyList<string> Statements(List<string> sqlArgs)
    {
        try
        {
            return SqlParser.SplitStatements(string.Join(' ', sqlArgs));
        }
        catch (Dm.Sql.SqlParseException e)
        {
            throw CtlException.Usage($"cannot split the replacement SQL into statements: {e.Message}");
        }
    }

    /// <summary>binlog list: the pending operations as compact JSON in the source's msg, as DM puts them there.</summary>
    private static string ListedOperations(JsonNode item) =>
        item["operations"] is JsonArray operations
            ? new JsonArray([.. operations.Select(o => (JsonNode)new JsonObject
            {
                ["binlogPos"] = o!["binlog_pos"]!.GetValue<string>(),
                ["op"] = o["op"]!.GetValue<string>(),
                ["sqls"] = o["sqls"]!.DeepClone(),
            })]).ToJsonString()
            : "";
}
