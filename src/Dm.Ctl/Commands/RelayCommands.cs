using System.Text.Json.Nodes;
using Dm.Ctl.Cli;
using Dm.Ctl.Master;
using Dm.Ctl.Output;

namespace Dm.Ctl.Commands;

/// <summary>
/// start-relay / stop-relay -s source [worker ...] (the OpenAPI's relay enable/disable for one source, naming the relay
/// workers) and pause-relay / resume-relay -s source ... (DM#'s relay pause/resume for each source: the relay workers stop
/// pulling, keeping their files, or pull again; DM's OperateWorkerRelayTask).
/// </summary>
public sealed class RelayCommand(string name, string usage, string description, string action, bool namesWorkers) : ICommand
{
    public static RelayCommand Start() => new("start-relay", "start-relay <-s source-id> [worker-name ...]",
        "start workers pulling relay log for a source", "enable", namesWorkers: true);

    public static RelayCommand Stop() => new("stop-relay", "stop-relay <-s source-id> [worker-name ...]",
        "stop workers pulling relay log for a source", "disable", namesWorkers: true);

    public static RelayCommand Pause() => new("pause-relay", "pause-relay <-s source ...>", "pause DM-worker's relay unit", "pause", namesWorkers: false);

    public static RelayCommand Resume() => new("resume-relay", "resume-relay <-s source ...>", "resume DM-worker's relay unit", "resume", namesWorkers: false);

    public string Name => name;
    public string Usage => usage;
    public string Description => description;
    public IReadOnlyList<FlagSpec> Flags { get; } = [];

    public async Task<JsonObject> RunAsync(CommandContext context, ParsedArguments args, CancellationToken ct)
    {
        var sources = args.List(GlobalFlags.Source);
        if (namesWorkers && sources.Count != 1) throw CtlException.Usage($"{Name} needs exactly one source (-s)");
        if (sources.Count == 0) throw CtlException.Usage($"{Name} needs at least one source (-s)");
        if (!namesWorkers && args.Positional.Count > 0) throw CtlException.Usage($"{Name} takes no arguments besides -s");
        var lines = new JsonArray();
        foreach (var source in sources)
        {
            var body = new JsonObject();
            if (args.Positional.Count > 0) body["worker_name_list"] = new JsonArray([.. args.Positional.Select(w => (JsonNode)w)]);
            await context.Master.PostAsync($"/api/v1/sources/{MasterClient.Escape(source)}/relay/{action}", body, ct);
            var workers = args.Positional.Count > 0 ? args.Positional : [await SourceLookup.WorkerOfAsync(context.Master, source, ct)];
            foreach (var worker in workers) lines.Add(ResultJson.SourceLine(source, worker));
        }
        var result = ResultJson.Ok();
        result["sources"] = lines;
        return result;
    }
}

/// <summary>purge-relay -s source -f filename [--sub-dir dir]: POST /sources/{s}/relay/purge.</summary>
public sealed class PurgeRelayCommand : ICommand
{
    public string Name => "purge-relay";
    public string Usage => "purge-relay <-s source> <-f filename> [--sub-dir directory]";
    public string Description => "purges relay log files of the DM-worker according to the specified filename";

    public IReadOnlyList<FlagSpec> Flags { get; } =
    [
        FlagSpec.Value("filename", "f", "name of the terminal file before which to purge relay log files"),
        FlagSpec.Value("sub-dir", null, "specify relay sub directory for --filename"),
    ];

    public async Task<JsonObject> RunAsync(CommandContext context, ParsedArguments args, CancellationToken ct)
    {
        var sources = args.List(GlobalFlags.Source);
        if (sources.Count != 1) throw CtlException.Usage("purge-relay needs exactly one source (-s)");
        var file = args.Value("filename");
        if (string.IsNullOrEmpty(file)) throw CtlException.Usage("purge-relay needs -f/--filename");
        var body = new JsonObject { ["relay_binlog_name"] = file };
        if (args.Value("sub-dir") is { } dir) body["relay_dir"] = dir;
        await context.Master.PostAsync($"/api/v1/sources/{MasterClient.Escape(sources[0])}/relay/purge", body, ct);
        var result = ResultJson.Ok();
        result["sources"] = new JsonArray(ResultJson.SourceLine(sources[0], await SourceLookup.WorkerOfAsync(context.Master, sources[0], ct)));
        return result;
    }
}
