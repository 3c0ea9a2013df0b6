using System.Text.Json.Nodes;
using Dm.Core.Api;
using Dm.Ctl.Cli;
using Dm.Ctl.Master;
using Dm.Ctl.Output;
using Dm.Ctl.TaskFiles;

namespace Dm.Ctl.Commands;

/// <summary>
/// start-task task.yaml: the file is decoded strictly, converted to the OpenAPI task (refusing what the API
/// cannot carry), created (the master pre-checks it) and started. If starting fails the task just created
/// is removed again, so a failed start-task leaves nothing behind, as in DM.
/// </summary>
public sealed class StartTaskCommand : ICommand
{
    public string Name => "start-task";
    public string Usage => "start-task [-s source ...] [--remove-meta] [--start-time time] <config-file>";
    public string Description => "start a task as defined in the config file";

    public IReadOnlyList<FlagSpec> Flags { get; } =
    [
        FlagSpec.Bool("remove-meta", null, "whether to remove task's meta data"),
        FlagSpec.Value("start-time", null, "specify the start time of binlog replication, e.g. '2021-10-21 00:01:00' or 2021-10-21T00:01:00"),
    ];

    public async Task<JsonObject> RunAsync(CommandContext context, ParsedArguments args, CancellationToken ct)
    {
        if (args.Positional.Count != 1) throw CtlException.Usage("start-task needs exactly one task config file");
        var master = context.Master;
        var (cfg, converted) = await TaskFileConverter.ConvertAsync(master, args.Positional[0], ct);
        var requested = args.List(GlobalFlags.Source);
        var unknown = requested.Where(s => cfg.MysqlInstances.All(i => i.SourceId != s)).ToList();
        if (unknown.Count > 0)
            throw CtlException.From(Dm.Core.Errors.DmErrors.ErrSchedulerSourceCfgNotExist.New(string.Join(",", unknown)));

        var task = requested.Count > 0 ? OnlySources(converted, requested) : converted;

        var created = MasterClient.FromBody<OperateTaskResponse>(
            await master.PostAsync("/api/v1/tasks", MasterClient.ToBody(new CreateTaskRequest { Task = task }), ct));
        var start = new StartTaskRequest
        {
            RemoveMeta = args.Bool("remove-meta") || cfg.RemoveMeta ? true : null,
            StartTime = args.Value("start-time"),
        };
        try
        {
            await master.PostAsync($"/api/v1/tasks/{MasterClient.Escape(task.Name)}/start", MasterClient.ToBody(start), ct);
        }
        catch (CtlException error)
        {
            try
            {
                await master.DeleteAsync($"/api/v1/tasks/{MasterClient.Escape(task.Name)}?force=true&keep_meta=true", CancellationToken.None);
            }
            catch (CtlException cleanup)
            {
                throw new CtlException(error.Code, $"{error.Message}\n(and removing the task created by this start-task failed: {cleanup.Message})");
            }
            throw;
        }

        var lines = new List<JsonNode>();
        foreach (var source in requested.Count > 0 ? requested : cfg.MysqlInstances.Select(i => i.SourceId))
            lines.Add(ResultJson.SourceLine(source, await SourceLookup.WorkerOfAsync(master, source, ct)));
        var result = ResultJson.Ok();
        result["sources"] = ResultJson.Array(lines);
        result["checkResult"] = created.CheckResult;
        return result;
    }

    /// <summary>As DM's start-task -s: only the subtasks of the given sources are created.</summary>
    private static DmTask OnlySources(DmTask task, List<string> sources) => task with
    {
        SourceConfig = task.SourceConfig with { SourceConf = task.SourceConfig.SourceConf.Where(s => sources.Contains(s.SourceName)).ToList() },
        TableMigrateRule = task.TableMigrateRule.Where(r => sources.Contains(r.Source.SourceName)).ToList(),
    };
}
