using System.Text.Json.Nodes;
using Dm.Ctl.Cli;
using Dm.Ctl.Output;
using Dm.Ctl.TaskFiles;

namespace Dm.Ctl.Commands;

/// <summary>
/// handle-error task [-s source ...] [-b pos] skip|replace|revert [sql ...]: DM's legacy spelling of
/// <c>binlog skip|replace|revert</c>, answered the same way.
/// </summary>
public sealed class HandleErrorCommand : ICommand
{
    public string Name => "handle-error";
    public string Usage => "handle-error <task-name | task-file> [-s source ...] [-b binlog-pos] <skip/replace/revert> [replace-sql1;replace-sql2;]";
    public string Description => "skip/replace/revert the current error event or a specific binlog position event";

    public IReadOnlyList<FlagSpec> Flags { get; } =
    [
        FlagSpec.Value(BinlogCommand.BinlogPosFlag, "b", "position used to match binlog event, e.g. \"mysql-bin|000001.000003:3270\""),
    ];

    public async Task<JsonObject> RunAsync(CommandContext context, ParsedArguments args, CancellationToken ct)
    {
        var p = args.Positional;
        if (p.Count < 2) throw CtlException.Usage("handle-error needs <task-name | task-file> <skip/replace/revert>");
        var op = p[1];
        if (op is not ("skip" or "replace" or "revert"))
            throw CtlException.Usage($"invalid handle-error operation \"{op}\": expected skip, replace or revert");
        var sqls = p.Skip(2).ToList();
        if (op == "replace" && sqls.Count == 0) throw CtlException.Usage("handle-error replace needs the SQL statements to replace the event with");
        if (op != "replace" && sqls.Count > 0) throw CtlException.Usage($"handle-error {op} takes no SQL statements");
        return await BinlogCommand.RunAsync(context.Master, op, ConfigFile.TaskName(p[0]), args.Value(BinlogCommand.BinlogPosFlag),
            args.List(GlobalFlags.Source), sqls, ct);
    }
}
