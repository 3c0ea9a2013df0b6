using System.Text.Json.Nodes;
using Dm.Ctl.Cli;
using Dm.Ctl.Output;
using Dm.Ctl.TaskFiles;

namespace Dm.Ctl.Commands;

/// <summary>
/// check-task task.yaml [--error N] [--warn N] [--start-time T]: the master validates and pre-checks the file
/// as start-task would, creating nothing, and answers DM's CheckTask <c>{"result", "msg"}</c>; a failed item
/// makes the result false (exit 1).
/// </summary>
public sealed class CheckTaskCommand : ICommand
{
    private const long DefaultShown = 10;

    public string Name => "check-task";
    public string Usage => "check-task <config-file> [--error count] [--warn count] [--start-time time]";
    public string Description => "check the config file of the task";

    public IReadOnlyList<FlagSpec> Flags { get; } =
    [
        FlagSpec.Value("error", "e", "max count of errors to display (default 10)"),
        FlagSpec.Value("warn", "w", "max count of warns to display (default 10)"),
        FlagSpec.Value("start-time", null, "specify the start time of binlog replication, e.g. '2021-10-21 00:01:00' or 2021-10-21T00:01:00"),
    ];

    public async Task<JsonObject> RunAsync(CommandContext context, ParsedArguments args, CancellationToken ct)
    {
        if (args.Positional.Count != 1) throw CtlException.Usage("check-task needs exactly one task config file");
        var path = args.Positional[0];
        // Decoded here first so a bad file is reported with its path, key and line before the master is asked.
        ConfigFile.ReadTask(path);
        var errors = Count(args, "error");
        var warns = Count(args, "warn");
        var body = new JsonObject
        {
            ["task_config_file"] = ConfigFile.Read(path),
            ["error_count"] = errors,
            ["warn_count"] = warns,
        };
        if (args.Value("start-time") is { } startTime) body["start_time"] = startTime;
        var answer = await context.Master.PostAsync("/api/v1/tasks/check", body, ct)
                     ?? throw CtlException.Usage("dm-master answered check-task with an empty body");
        return new JsonObject
        {
            ["result"] = answer["result"]?.GetValue<bool>() ?? false,
            ["msg"] = answer["msg"]?.GetValue<string>() ?? "",
        };
    }

    private static int Count(ParsedArguments args, string flag)
    {
        var n = args.Int64(flag, DefaultShown);
        return n is >= 0 and <= int.MaxValue ? (int)n : throw CtlException.Usage($"--{flag} must be a count of 0 or more, got {n}");
    }
}
