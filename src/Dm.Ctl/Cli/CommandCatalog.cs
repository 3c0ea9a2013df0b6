using System.Text;
using Dm.Ctl.Commands;

namespace Dm.Ctl.Cli;

/// <summary>Every dmctl command by name, and the help text built from them.</summary>
public static class CommandCatalog
{
    public static IReadOnlyList<ICommand> All { get; } =
    [
        new StartTaskCommand(),
        TaskStageCommand.Stop(),
        TaskStageCommand.Pause(),
        TaskStageCommand.Resume(),
        new QueryStatusCommand(),
        new OperateSourceCommand(),
        new TransferSourceCommand(),
        RelayCommand.Start(),
        RelayCommand.Stop(),
        new PurgeRelayCommand(),
        RelayCommand.Pause(),
        RelayCommand.Resume(),
        new BinlogSchemaCommand(),
        new BinlogCommand(),
        new HandleErrorCommand(),
        new ListMemberCommand(),
        new OfflineMemberCommand(),
        new OperateLeaderCommand(),
        new ConfigCommand(),
        new GetConfigCommand(),
        new CheckTaskCommand(),
        new SecretCommand(encrypt: true),
        new SecretCommand(encrypt: false),
        .. UnsupportedCommand.All(),
    ];

    public static ICommand? Find(string name) =>
        All.FirstOrDefault(c => c.Name == name) ?? (name == "get-task-config" ? All.First(c => c.Name == "get-config") : null);

    public static string Usage()
    {
        var text = new StringBuilder();
        text.AppendLine("DM control (DM#)");
        text.AppendLine();
        text.AppendLine("Usage:");
        text.AppendLine("  dmctl --master-addr host:port <command> [args] [flags]");
        text.AppendLine();
        text.AppendLine("Available Commands:");
        foreach (var c in All.OrderBy(c => c.Name, StringComparer.Ordinal))
            text.AppendLine($"  {c.Name,-18} {c.Description}");
        text.AppendLine();
        AppendFlags(text, "Global Flags:", GlobalFlags.All);
        text.AppendLine();
        text.AppendLine($"The master address may also come from {DmctlApplication.MasterAddrVariable}.");
        return text.ToString();
    }

    public static string Usage(ICommand command)
    {
        var text = new StringBuilder();
        text.AppendLine(command.Description);
        text.AppendLine();
        text.AppendLine("Usage:");
        text.AppendLine("  dmctl " + command.Usage);
        if (command.Flags.Count > 0)
        {
            text.AppendLine();
            AppendFlags(text, "Flags:", command.Flags);
        }
        text.AppendLine();
        AppendFlags(text, "Global Flags:", GlobalFlags.All);
        return text.ToString();
    }

    private static void AppendFlags(StringBuilder text, string title, IEnumerable<FlagSpec> flags)
    {
        text.AppendLine(title);
        foreach (var f in flags)
        {
            var names = (f.Short != null ? $"-{f.Short}, " : "    ") + $"--{f.Long}" + (f.Kind == FlagKind.Bool ? "" : " string");
            text.AppendLine($"  {names,-28} {f.Help}");
        }
    }
}
