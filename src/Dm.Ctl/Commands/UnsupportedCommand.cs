using System.Text.Json.Nodes;
using Dm.Ctl.Cli;
using Dm.Ctl.Output;

namespace Dm.Ctl.Commands;

/// <summary>
/// A DM command whose feature DM# has not built (no shard-DDL coordination, no validator). It parses DM's flags (so
/// scripts get a clear answer, not "unknown flag") and always fails with code 49001 naming the missing feature; nothing
/// pretends to have worked.
/// </summary>
public sealed class UnsupportedCommand(string name, string usage, string description, string missingFeature, params FlagSpec[] flags) : ICommand
{
    public string Name => name;
    public string Usage => usage;
    public string Description => description + " (not supported by DM#)";
    public IReadOnlyList<FlagSpec> Flags => flags;
    public string MissingFeature => missingFeature;

    public Task<JsonObject> RunAsync(CommandContext context, ParsedArguments args, CancellationToken ct) =>
        throw CtlException.FeatureNotBuilt(string.Join(' ', [name, .. args.Positional.Take(1)]), missingFeature);

    private const string NoShardDdl =
        "DM#'s dm-master has no shard-DDL coordination (DM's pessimist/optimist), so it holds no shard DDL locks to show or unlock";

    public static IEnumerable<ICommand> All()
    {
        yield return new UnsupportedCommand("shard-ddl-lock", "shard-ddl-lock [task-name] | shard-ddl-lock unlock <lock-id> [-o owner] [-f] [-a skip|exec] [-d db] [-t table]",
            "maintain or show shard-ddl locks information", NoShardDdl,
            FlagSpec.Value("owner", "o", "source to replace the default owner"),
            FlagSpec.Bool("force-remove", "f", "force to remove DDL lock"),
            FlagSpec.Value("action", "a", "accept skip/exec values"),
            FlagSpec.Value("database", "d", "database name of the table"),
            FlagSpec.Value("table", "t", "table name"));
        yield return new UnsupportedCommand("show-ddl-locks", "show-ddl-locks [-s source ...] [task-name | task-file]",
            "show un-resolved DDL locks", NoShardDdl);
        yield return new UnsupportedCommand("unlock-ddl-lock", "unlock-ddl-lock <lock-ID>", "unlock un-resolved DDL lock forcely", NoShardDdl,
            FlagSpec.Value("owner", "o", "source to replace the default owner"),
            FlagSpec.Bool("force-remove", "f", "force to remove DDL lock"));
        yield return new UnsupportedCommand("validation", "validation <start | stop | status | show-error | ignore-error | resolve-error | clear-error | update> ...",
            "continuous data validation",
            "DM#'s dm-worker has no continuous validator (DM's validator), so there is no validation to start, stop or query",
            FlagSpec.Bool("all-task", null, "all tasks"), FlagSpec.Value("mode", null, "full or fast"),
            FlagSpec.Value("start-time", null, "start time"), FlagSpec.Value("table-stage", null, "running or stopped"),
            FlagSpec.Value("error", null, "error state"), FlagSpec.Bool("all", null, "all errors"),
            FlagSpec.Value("cutover-binlog-pos", null, "position"), FlagSpec.Value("cutover-binlog-gtid", null, "gtid"));
        yield return new UnsupportedCommand("operate-schema", "operate-schema <get|set|remove> <-s source ...> <task-name | task-file> <-d database> <-t table> [schema-file]",
            "legacy form of binlog-schema", "it is DM's legacy form; use `binlog-schema list|update|delete`, which DM# supports",
            FlagSpec.Value("database", "d", "database name"), FlagSpec.Value("table", "t", "table name"),
            FlagSpec.Bool("flush", null, "flush"), FlagSpec.Bool("sync", null, "sync"));
    }
}
