using System.Text.Json.Nodes;
using Dm.Core.Api;
using Dm.Ctl.Cli;
using Dm.Ctl.Master;
using Dm.Ctl.Output;
using Dm.Ctl.TaskFiles;

namespace Dm.Ctl.Commands;

/// <summary>
/// stop-task, pause-task and resume-task. DM's stop-task removes the task (OpenAPI DELETE ?force=true);
/// pause/resume set the expected stage through the OpenAPI's stop/start. With no task and one <c>-s</c>, every
/// task of that source is operated, as in DM.
/// </summary>
public sealed class TaskStageCommand(string name, string op, string description) : ICommand
{
    public static TaskStageCommand Stop() => new("stop-task", "Delete", "stop a specified task (removes it, as DM's stop-task)");
    public static TaskStageCommand Pause() => new("pause-task", "Pause", "pause a specified running task or all (sub)tasks bound to a source");
    public static TaskStageCommand Resume() => new("resume-task", "Resume", "resume a specified paused task or all (sub)tasks bound to a source");

    public string Name => name;
    public string Usage => $"{name} [-s source ...] [task-name | task-file]";
    public string Description => description;

    public IReadOnlyList<FlagSpec> Flags { get; } = [FlagSpec.Value("batch-size", null, "batch size when operating all (sub)tasks bound to a source (default 5)")];

    public async Task<JsonObject> RunAsync(CommandContext context, ParsedArguments args, CancellationToken ct)
    {
        var sources = args.List(GlobalFlags.Source);
        if (args.Positional.Count > 1) throw CtlException.Usage($"{name} takes one task name or task file");
        if (args.Positional.Count == 0)
        {
            if (sources.Count != 1) throw CtlException.Usage($"{name} needs a task name, or exactly one -s source to operate all its tasks");
            return await AllOfSourceAsync(context.Master, sources[0], ct);
        }
        var task = ConfigFile.TaskName(args.Positional[0]);
        var result = await OperateAsync(context.Master, task, sources, ct);
        return result;
    }

    private async Task<JsonObject> OperateAsync(MasterClient master, string task, List<string> requested, CancellationToken ct)
    {
        var selected = await TaskSources.SelectedAsync(master, task, requested, ct);
        var path = $"/api/v1/tasks/{MasterClient.Escape(task)}";
        var workers = new Dictionary<string, string>();
        foreach (var s in selected) workers[s] = await SourceLookup.WorkerOfAsync(master, s, ct);
        var list = new JsonArray([.. selected]);
        switch (op)
        {
            case "Delete":
                var all = await TaskSources.OfAsync(master, task, ct);
                if (selected.Count != all.Count)
                    throw CtlException.Unsupported($"stop-task -s {string.Join(",", selected)} {task}",
                        "a way to remove some sources' subtasks of a task (DM's OperateTask Delete with sources); the OpenAPI deletes whole tasks");
                await master.DeleteAsync($"{path}?force=true", ct);
                break;
            case "Pause":
                await master.PostAsync($"{path}/stop", new JsonObject { ["source_name_list"] = list }, ct);
                break;
            default:
                await master.PostAsync($"{path}/start", new JsonObject { ["source_name_list"] = list }, ct);
                break;
        }
        var result = new JsonObject { ["op"] = op, ["result"] = true, ["msg"] = "" };
        result["sources"] = ResultJson.Array(selected.Select(s => (JsonNode)ResultJson.SourceLine(s, workers[s])));
        return result;
    }

    private async Task<JsonObject> AllOfSourceAsync(MasterClient master, string source, CancellationToken ct)
    {
        var tasks = MasterClient.FromBody<GetTaskListResponse>(await master.GetAsync("/api/v1/tasks", ct)).Data
            .Where(t => t.SourceConfig.SourceConf.Any(s => s.SourceName == source))
            .Select(t => t.Name).ToList();
        var results = new JsonArray();
        var ok = true;
        foreach (var task in tasks)
        {
            try
            {
                var one = await OperateAsync(master, task, [source], ct);
                results.Add(new JsonObject { ["result"] = true, ["msg"] = "", ["op"] = op, ["task"] = task, ["sources"] = one["sources"]!.DeepClone() });
            }
            catch (CtlException ex)
            {
                ok = false;
                results.Add(new JsonObject { ["result"] = false, ["msg"] = ex.Message, ["op"] = op, ["task"] = task });
            }
        }
        var result = ok ? ResultJson.Ok() : ResultJson.Failed($"some tasks of source {source} failed to {op.ToLowerInvariant()}");
        result["batchResult"] = results;
        return result;
    }
}
