using System.Text.Json.Nodes;
using Dm.Core.Api;
using Dm.Core.Config;
using Dm.Ctl.Cli;
using Dm.Ctl.Master;
using Dm.Ctl.Output;
using Dm.Ctl.TaskFiles;

namespace Dm.Ctl.Commands;

/// <summary>
/// query-status: with no task and no source, DM's one-line-per-task summary; otherwise every subtask with its
/// source (relay) status, built from GET /tasks/{t}/status and /sources/{s}/status. <c>--watch</c> keeps
/// refreshing a progress view until Ctrl-C.
/// </summary>
public sealed class QueryStatusCommand : ICommand
{
    public string Name => "query-status";
    public string Usage => "query-status [-s source ...] [task-name | task-file] [--more] [--watch [--interval 2s]]";
    public string Description => "query task status";

    public IReadOnlyList<FlagSpec> Flags { get; } =
    [
        FlagSpec.Bool("more", null, "whether to print the detailed task information"),
        FlagSpec.Bool("watch", "w", "refresh a progress view until interrupted"),
        FlagSpec.Value("interval", null, "refresh interval of --watch, Go duration (default 2s)"),
        FlagSpec.Value("watch-count", null, "stop --watch after this many refreshes (0 = until interrupted)"),
    ];

    public async Task<JsonObject> RunAsync(CommandContext context, ParsedArguments args, CancellationToken ct)
    {
        if (args.Positional.Count > 1) throw CtlException.Usage("query-status takes at most one task name or task file");
        var task = args.Positional.Count == 1 ? ConfigFile.TaskName(args.Positional[0]) : null;
        var sources = args.List(GlobalFlags.Source);
        if (!args.Bool("watch"))
            return await QueryAsync(context.Master, task, sources, args.Bool("more"), ct);

        var interval = args.Value("interval") is { } i
            ? GoDuration.TryParse(i, out var d) && d > TimeSpan.Zero ? d : throw CtlException.Usage($"invalid --interval \"{i}\"")
            : TimeSpan.FromSeconds(2);
        var count = args.Int64("watch-count", 0);
        return await StatusWatch.RunAsync(context.Out, () => QueryAsync(context.Master, task, sources, more: true, ct), interval, count, ct);
    }

    public static async Task<JsonObject> QueryAsync(MasterClient master, string? task, List<string> sources, bool more, CancellationToken ct)
    {
        if (task == null && sources.Count == 0 && !more) return await SummaryAsync(master, ct);
        var statuses = new List<SubTaskStatus>();
        if (task != null)
        {
            var query = string.Concat(sources.Select(s => $"&source_name_list={MasterClient.Escape(s)}"));
            var status = MasterClient.FromBody<GetTaskStatusResponse>(
                await master.GetAsync($"/api/v1/tasks/{MasterClient.Escape(task)}/status?{query.TrimStart('&')}", ct));
            statuses.AddRange(status.Data);
        }
        else
        {
            var list = MasterClient.FromBody<GetTaskListResponse>(await master.GetAsync("/api/v1/tasks?with_status=true", ct));
            statuses.AddRange(list.Data.SelectMany(t => t.StatusList ?? []).Where(s => sources.Count == 0 || sources.Contains(s.SourceName)));
        }
        var sourceNames = sources.Count > 0 ? sources : statuses.Select(s => s.SourceName).Distinct().Order(StringComparer.Ordinal).ToList();
        var lines = new JsonArray();
        foreach (var source in sourceNames)
        {
            var sourceStatus = MasterClient.FromBody<GetSourceStatusResponse>(
                await master.GetAsync($"/api/v1/sources/{MasterClient.Escape(source)}/status", ct)).Data;
            var first = sourceStatus.FirstOrDefault();
            var worker = sourceStatus.Select(s => s.WorkerName).FirstOrDefault(w => w.Length > 0) ?? "";
            var error = first?.ErrorMsg;
            lines.Add(new JsonObject
            {
                ["result"] = string.IsNullOrEmpty(error),
                ["msg"] = error ?? "",
                ["sourceStatus"] = StatusJson.Source(source, worker, first?.RelayStatus, error),
                ["subTaskStatus"] = new JsonArray([.. statuses.Where(s => s.SourceName == source).Select(s => (JsonNode)StatusJson.SubTask(s))]),
            });
        }
        var result = ResultJson.Ok();
        result["sources"] = lines;
        return result;
    }

    private static async Task<JsonObject> SummaryAsync(MasterClient master, CancellationToken ct)
    {
        var list = MasterClient.FromBody<GetTaskListResponse>(await master.GetAsync("/api/v1/tasks?with_status=true", ct));
        var tasks = new JsonArray();
        foreach (var t in list.Data.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var status = t.StatusList ?? [];
            tasks.Add(new JsonObject
            {
                ["taskName"] = t.Name,
                ["taskStatus"] = TaskStatusText(t.Name, status),
                ["sources"] = new JsonArray([.. t.SourceConfig.SourceConf.Select(s => (JsonNode)s.SourceName)]),
            });
        }
        var result = ResultJson.Ok();
        result["tasks"] = tasks;
        return result;
    }

    /// <summary>DM's summary text: an error in any subtask wins, then Paused, then a common stage.</summary>
    public static string TaskStatusText(string task, IReadOnlyList<SubTaskStatus> status)
    {
        if (status.Any(s => !string.IsNullOrEmpty(s.ErrorMsg)))
            return $"Error - Some error occurred in subtask. Please run `query-status {task}` to get more details.";
        if (status.Any(s => s.Stage == TaskStage.Paused)) return "Paused";
        var stages = status.Select(s => s.Stage).Distinct().ToList();
        return stages.Count == 1 ? stages[0].ToString() : "Running";
    }
}
