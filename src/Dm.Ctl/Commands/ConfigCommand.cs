using System.Text.Json.Nodes;
using Dm.Ctl.Cli;
using Dm.Ctl.Output;

namespace Dm.Ctl.Commands;

/// <summary>
/// config task|task-template|source|master|worker [name] [-p file], config export|import [-p dir]. Shows print
/// DM's GetCfg shape <c>{"result","msg","cfg"}</c>, or write the YAML to <c>-p</c>.
/// </summary>
public sealed class ConfigCommand : ICommand
{
    public string Name => "config";
    public string Usage => "config <task | task-template | source | master | worker | export | import> [name] [-p path]";
    public string Description => "show, export or import configs";

    public IReadOnlyList<FlagSpec> Flags { get; } =
    [
        FlagSpec.Value("path", "p", "directory for export/import (default ./configs), or file to write a config to"),
        FlagSpec.Value("dir", "d", "same as --path (hidden, deprecated)"),
    ];

    public async Task<JsonObject> RunAsync(CommandContext context, ParsedArguments args, CancellationToken ct)
    {
        if (args.Positional.Count == 0) throw CtlException.Usage("config needs a sub-command: task, task-template, source, master, worker, export or import");
        var kind = args.Positional[0];
        var path = args.Value("path") ?? args.Value("dir");
        switch (kind)
        {
            case "export":
                return await ConfigTransfer.ExportAsync(context.Master, path ?? "./configs", ct);
            case "import":
                return await ConfigTransfer.ImportAsync(context.Master, path ?? "./configs", ct);
        }
        if (args.Positional.Count != 2) throw CtlException.Usage($"config {kind} needs one name");
        return await ShowAsync(context, kind, args.Positional[1], path, ct);
    }

    public static async Task<JsonObject> ShowAsync(CommandContext context, string kind, string name, string? file, CancellationToken ct)
    {
        var yaml = kind switch
        {
            "task" => await ConfigReader.TaskYamlAsync(context.Master, name, ct),
            "task-template" => await ConfigReader.TemplateYamlAsync(context.Master, name, ct),
            "source" => await ConfigReader.SourceYamlAsync(context.Master, name, ct),
            "master" => (await context.Master.GetAsync($"/api/v1/cluster/masters/{Master.MasterClient.Escape(name)}/config", ct))?["config"]
                        ?.GetValue<string>() ?? throw CtlException.Usage("dm-master answered config master without a config"),
            "worker" => throw CtlException.FeatureNotBuilt($"config {kind}",
                "DM#'s dm-worker has no query for its running configuration (DM's GetCfg type worker)"),
            _ => throw CtlException.Usage($"invalid config type \"{kind}\": expected task, task-template, source, master or worker"),
        };
        if (file != null)
        {
            await File.WriteAllTextAsync(file, yaml, ct);
            return ResultJson.Ok($"write config to file {file} succeed");
        }
        var result = ResultJson.Ok();
        result["cfg"] = yaml;
        return result;
    }
}

/// <summary>get-config &lt;task|source|master|worker&gt; &lt;name&gt; [--file f]: DM's hidden legacy form of config.</summary>
public sealed class GetConfigCommand : ICommand
{
    public string Name => "get-config";
    public string Usage => "get-config <task | master | worker | source> <name> [--file filename]";
    public string Description => "get the config (legacy form of `config`)";
    public IReadOnlyList<FlagSpec> Flags { get; } = [FlagSpec.Value("file", "f", "write config to file")];

    public Task<JsonObject> RunAsync(CommandContext context, ParsedArguments args, CancellationToken ct)
    {
        if (args.Positional.Count != 2) throw CtlException.Usage("get-config needs <task | master | worker | source> <name>");
        return ConfigCommand.ShowAsync(context, args.Positional[0], args.Positional[1], args.Value("file"), ct);
    }
}
