using System.Text.Json.Nodes;
using Dm.Ctl.Cli;
using Dm.Ctl.Output;

namespace Dm.Ctl.Commands;

/// <summary>
/// A DM command whose master call DM#'s dm-master does not offer yet. It parses DM's flags (so scripts get a
/// clear answer, not "unknown flag") and always fails with code 49001 naming the endpoint it needs.
/// </summary>
public sealed class UnsupportedCommand(string name, string usage, string description, string neededEndpoint, params FlagSpec[] flags) : ICommand
{
    public string Name => name;
    public string Usage => usage;
    public string Description => description + " (not supported yet)";
    public IReadOnlyList<FlagSpec> Flags => flags;
    public string NeededEndpoint => neededEndpoint;

    public Task<JsonObject> RunAsync(CommandContext context, ParsedArguments args, CancellationToken ct) =>
        throw CtlException.Unsupported(string.Join(' ', [name, .. args.Positional.Take(1)]), neededEndpoint);

    public static IEnumerable<ICommand> All()
    {
        yield return new UnsupportedCommand("check-task", "check-task <config-file> [--error count] [--warn count]",
            "check the config file of the task",
            "POST /api/v1/tasks/check taking DM's task YAML (or an OpenAPI task) and answering the pre-check result, like DM's CheckTask",
            FlagSpec.Value("error", "e", "max count of errors to display (default 10)"),
            FlagSpec.Value("warn", "w", "max count of warns to display (default 10)"),
            FlagSpec.Value("start-time", null, "specify the start time of binlog replication"));
        yield return new UnsupportedCommand("shard-ddl-lock", "shard-ddl-lock [task-name] | shard-ddl-lock unlock <lock-id> [-o owner] [-f] [-a skip|exec] [-d db] [-t table]",
            "maintain or show shard-ddl locks information",
            "GET /api/v1/shard-ddl-locks?task=... and POST /api/v1/shard-ddl-locks/{lock-id}/unlock, like DM's ShowDDLLocks/UnlockDDLLock",
            FlagSpec.Value("owner", "o", "source to replace the default owner"),
            FlagSpec.Bool("force-remove", "f", "force to remove DDL lock"),
            FlagSpec.Value("action", "a", "accept skip/exec values"),
            FlagSpec.Value("database", "d", "database name of the table"),
            FlagSpec.Value("table", "t", "table name"));
        yield return new UnsupportedCommand("show-ddl-locks", "show-ddl-locks [-s source ...] [task-name | task-file]",
            "show un-resolved DDL locks", "GET /api/v1/shard-ddl-locks (DM's ShowDDLLocks)");
        yield return new UnsupportedCommand("unlock-ddl-lock", "unlock-ddl-lock <lock-ID>", "unlock un-resolved DDL lock forcely",
            "POST /api/v1/shard-ddl-locks/{lock-id}/unlock (DM's UnlockDDLLock)",
            FlagSpec.Value("owner", "o", "source to replace the default owner"),
            FlagSpec.Bool("force-remove", "f", "force to remove DDL lock"));
        yield return new UnsupportedCommand("pause-relay", "pause-relay <-s source ...>", "pause DM-worker's relay unit",
            "POST /api/v1/sources/{source}/relay/pause (DM's OperateWorkerRelayTask PauseRelay)");
        yield return new UnsupportedCommand("resume-relay", "resume-relay <-s source ...>", "resume DM-worker's relay unit",
            "POST /api/v1/sources/{source}/relay/resume (DM's OperateWorkerRelayTask ResumeRelay)");
        yield return new UnsupportedCommand("operate-leader", "operate-leader <evict | cancel-evict>", "evict the leader or cancel the eviction",
            "PUT /api/v1/cluster/leader/{evict|cancel-evict} (DM's OperateLeader)");
        yield return new UnsupportedCommand("encrypt", "encrypt <plain-text>", "encrypts plain text to cipher text with the master's secret key",
            "POST /api/v1/encrypt {plaintext} answering the ciphertext (DM's Encrypt)");
        yield return new UnsupportedCommand("decrypt", "decrypt <cipher-text>", "decrypts cipher text to plain text with the master's secret key",
            "POST /api/v1/decrypt {ciphertext} answering the plaintext");
        yield return new UnsupportedCommand("validation", "validation <start | stop | status | show-error | ignore-error | resolve-error | clear-error | update> ...",
            "continuous data validation",
            "/api/v1/tasks/{task}/validation/... (DM's Start/StopValidation, GetValidationStatus/Error, OperateValidationError, UpdateValidation)",
            FlagSpec.Bool("all-task", null, "all tasks"), FlagSpec.Value("mode", null, "full or fast"),
            FlagSpec.Value("start-time", null, "start time"), FlagSpec.Value("table-stage", null, "running or stopped"),
            FlagSpec.Value("error", null, "error state"), FlagSpec.Bool("all", null, "all errors"),
            FlagSpec.Value("cutover-binlog-pos", null, "position"), FlagSpec.Value("cutover-binlog-gtid", null, "gtid"));
        yield return new UnsupportedCommand("operate-schema", "operate-schema <get|set|remove> <-s source ...> <task-name | task-file> <-d database> <-t table> [schema-file]",
            "legacy form of binlog-schema", "nothing new: use `binlog-schema list|update|delete`, which DM# supports",
            FlagSpec.Value("database", "d", "database name"), FlagSpec.Value("table", "t", "table name"),
            FlagSpec.Bool("flush", null, "flush"), FlagSpec.Bool("sync", null, "sync"));
    }
}
