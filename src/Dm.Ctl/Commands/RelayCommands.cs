using System.Text.Json.Nodes;
using Dm.Ctl.Cli;
using Dm.Ctl.Master;
using Dm.Ctl.Output;

namespace Dm.Ctl.Commands;

/// <summary>start-relay / stop-relay -s source [worker ...]: the OpenAPI's relay enable/disable for one source.</summary>
public sealed class RelaySwitchCommand(bool start) : ICommand
{
    public string Name => start ? "start-relay" : "stop-relay";
    public string Usage => $"{Name} <-s source-id> [worker-name ...]";
    public string Description => start ? "start workers pulling relay log for a source" : "stop workers pulling relay log for a source";
    public IReadOnlyList<FlagSpec> Flags { get; } = [];

    public async Task<JsonObject> RunAsync(CommandContext context, ParsedArguments args, CancellationToken ct)
    {
        var sources = args.List(GlobalFlags.Source);
        if (sources.Count != 1) throw CtlException.Usage($"{Name} needs exactly one source (-s)");
        var source = sources[0];
        var body = new JsonObject();
        if (args.Positional.Count > 0) body["worker_name_list"] = new JsonArray([.. args.Positional.Select(w => (JsonNode)w)]);
        await context.Master.PostAsync($"/api/v1/sources/{MasterClient.Escape(source)}/relay/{(start ? "enable" : "disable")}", body, ct);
        var result = ResultJson.Ok();
        var workers = args.Positional.Count > 0 ? args.Positional : [await SourceLookup.WorkerOfAsync(context.Master, source, ct)];
        result["sources"] = ResultJson.Array(workers.Select(w => (JsonNode)ResultJson.SourceLine(source, w)));
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
