using System.Text.Json.Nodes;

namespace Dm.Ctl.Cli;

/// <summary>One dmctl command (a parent such as <c>binlog-schema</c> handles its sub-commands itself).</summary>
public interface ICommand
{
    string Name { get; }

    /// <summary>Usage line as DM's help shows it.</summary>
    string Usage { get; }

    string Description { get; }

    IReadOnlyList<FlagSpec> Flags { get; }

    /// <summary>Runs the command and returns DM's response JSON; a <c>"result": false</c> makes the exit status non-zero.</summary>
    Task<JsonObject> RunAsync(CommandContext context, ParsedArguments args, CancellationToken ct);
}
