using System.Text.Json.Nodes;
using Dm.Ctl.Cli;
using Dm.Ctl.Master;
using Dm.Ctl.Output;
using Dm.Ctl.TaskFiles;

namespace Dm.Ctl.Commands;

/// <summary>
/// binlog-schema list|update|delete [-s source] task db table [schema-file]: the schema tracker's table
/// structure through /tasks/{t}/sources/{s}/schemas/{db}/{table}, once per source (all the task's sources by default).
/// </summary>
public sealed class BinlogSchemaCommand : ICommand
{
    public string Name => "binlog-schema";
    public string Usage => "binlog-schema <list | update | delete> [-s source ...] <task-name> <database> <table> [schema-file] [--flush] [--sync] [--from-source | --from-target]";
    public string Description => "manage or show table schema in schema tracker";

    public IReadOnlyList<FlagSpec> Flags { get; } =
    [
        FlagSpec.Bool("flush", null, "flush the table info and checkpoint immediately (default true)"),
        FlagSpec.Bool("sync", null, "sync the table info to master to resolve shard ddl lock, only for optimistic mode (default true)"),
        FlagSpec.Bool("from-source", null, "use the schema from upstream database as the schema of the specified tables"),
        FlagSpec.Bool("from-target", null, "use the schema from downstream database as the schema of the specified tables"),
    ];

    public async Task<JsonObject> RunAsync(CommandContext context, ParsedArguments args, CancellationToken ct)
    {
        var p = args.Positional;
        if (p.Count == 0) throw CtlException.Usage("binlog-schema needs a sub-command: list, update or delete");
        var op = p[0];
        var expected = op == "update" ? (4, 5) : (4, 4);
        if (op is not ("list" or "update" or "delete"))
            throw CtlException.Usage($"invalid binlog-schema sub-command \"{op}\": expected list, update or delete");
        if (p.Count - 1 < expected.Item1 - 1 || p.Count - 1 > expected.Item2 - 1)
            throw CtlException.Usage($"binlog-schema {op} needs <task-name> <database> <table>{(op == "update" ? " [schema-file]" : "")}");
        var (task, db, table) = (ConfigFile.TaskName(p[1]), p[2], p[3]);
        JsonObject? body = null;
        if (op == "update") body = UpdateBody(args, p.Count == 5 ? p[4] : null);

        var master = context.Master;
        var sources = await TaskSources.SelectedAsync(master, task, args.List(GlobalFlags.Source), ct);
        var lines = new JsonArray();
        var ok = true;
        foreach (var source in sources)
        {
            var path = $"/api/v1/tasks/{MasterClient.Escape(task)}/sources/{MasterClient.Escape(source)}/schemas/{MasterClient.Escape(db)}/{MasterClient.Escape(table)}";
            try
            {
                var msg = "";
                switch (op)
                {
                    case "list":
                        msg = (await master.GetAsync(path, ct))?["schema_create_sql"]?.GetValue<string>() ?? "";
                        break;
                    case "update":
                        await master.PutAsync(path, body!.DeepClone(), ct);
                        break;
                    default:
                        await master.DeleteAsync(path, ct);
                        break;
                }
                lines.Add(ResultJson.SourceLine(source, await SourceLookup.WorkerOfAsync(master, source, ct), msg: msg));
            }
            catch (CtlException ex)
            {
                ok = false;
                lines.Add(ResultJson.SourceLine(source, "", result: false, msg: ex.Message));
            }
        }
        var result = ok ? ResultJson.Ok() : ResultJson.Failed(lines.Select(l => l!["msg"]!.GetValue<string>()).First(m => m.Length > 0));
        result["sources"] = lines;
        return result;
    }

    private static JsonObject UpdateBody(ParsedArguments args, string? file)
    {
        var (fromSource, fromTarget) = (args.Bool("from-source"), args.Bool("from-target"));
        if ((file != null ? 1 : 0) + (fromSource ? 1 : 0) + (fromTarget ? 1 : 0) != 1)
            throw CtlException.Usage("binlog-schema update needs exactly one of a schema file, --from-source or --from-target");
        var body = new JsonObject
        {
            ["schema_source"] = fromSource ? "upstream" : fromTarget ? "downstream" : "sql",
            ["flush"] = args.Bool("flush", true),
            ["sync"] = args.Bool("sync", true),
        };
        if (file != null) body["sql_content"] = ConfigFile.Read(file);
        return body;
    }
}
