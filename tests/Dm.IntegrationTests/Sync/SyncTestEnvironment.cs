using System.Text.Json.Nodes;
using Dm.TestKit;
using Dm.TestKit.Workloads;

namespace Dm.IntegrationTests.Sync;

/// <summary>
/// What the Sync tests share: upstream, target and master (a <see cref="MigrationEnvironment"/>), a source bound to a
/// worker, the task body that replicates the workload's two schemas, and the checks on a running task.
/// </summary>
public sealed class SyncTestEnvironment : IAsyncDisposable
{
    public const string SourceName = "wl-src";

    private readonly List<DmWorkerProcess> _workers = [];

    public MigrationEnvironment Env { get; private init; } = null!;
    public MariaDbServer Upstream => Env.Upstream;
    public MariaDbServer Target => Env.Target;

    /// <param name="enableGtid">the source's enable_gtid: Sync then starts and resumes by GTID set.</param>
    /// <param name="relay">the source's relay_config, null for none (see <see cref="MigrationEnvironment.CreateSourceAsync"/>).</param>
    /// <param name="purge">the source's relay purge settings, null for DM's defaults.</param>
    public static async Task<SyncTestEnvironment> StartAsync(string name, int serverId, bool enableGtid = false, object? relay = null, object? purge = null)
    {
        var env = new SyncTestEnvironment { Env = await MigrationEnvironment.StartAsync(name, serverId, rows: 0) };
        await env.Env.CreateSourceAsync(SourceName, env.Upstream, enableGtid, relay, purge);
        return env;
    }

    public async Task<DmWorkerProcess> StartWorkerAsync(string name, IReadOnlyList<string>? extraArguments = null)
    {
        var worker = await DmWorkerProcess.StartAsync(name, [Env.Master], extraArguments: extraArguments);
        _workers.Add(worker);
        return worker;
    }

    public static async Task<(string File, long Position)> MasterPositionAsync(MariaDbServer server)
    {
        await using var connection = await server.OpenAsync();
        await using var command = new MySqlConnector.MySqlCommand("SHOW MASTER STATUS", connection);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) throw new InvalidOperationException("SHOW MASTER STATUS returned nothing: binlog off?");
        return (reader.GetString(0), reader.GetInt64(1));
    }

    /// <summary>
    /// A task replicating both workload schemas unrenamed; <paramref name="start"/> is the meta position of an incremental
    /// task, <paramref name="startGtid"/> its meta GTID set (alone when no position is given).
    /// </summary>
    public object TaskBody(string name, string mode, WorkloadTables tables, bool safeMode, (string File, long Position)? start = null,
        string? startGtid = null) => TaskBody(Target, name, mode, tables, safeMode, start, startGtid);

    /// <summary>The same task body for a source named <see cref="SourceName"/> replicating into <paramref name="target"/>.</summary>
    public static object TaskBody(MariaDbServer target, string name, string mode, WorkloadTables tables, bool safeMode,
        (string File, long Position)? start = null, string? startGtid = null) => new
    {
        task = new
        {
            name,
            task_mode = mode,
            meta_schema = "dm_meta",
            enhance_online_schema_change = true,
            on_duplicate = "replace",
            target_config = new { host = target.Host, port = target.Port, user = target.User, password = target.Password },
            table_migrate_rule = tables.Schemas.Select(schema => new { source = new { source_name = SourceName, schema, table = "*" } }).ToArray(),
            source_config = new
            {
                full_migrate_conf = new { export_threads = 2, import_threads = 2 },
                incr_migrate_conf = new { repl_threads = 4, repl_batch = 100, safe_mode = safeMode },
                source_conf = new[]
                {
                    start is { } s
                        ? (object)new { source_name = SourceName, binlog_name = s.File, binlog_pos = s.Position }
                        : startGtid is { } gtid ? new { source_name = SourceName, binlog_gtid = gtid }
                        : new { source_name = SourceName },
                },
            },
        },
    };

    public async Task<JsonNode> StatusAsync(string task) => await Env.StatusAsync(task);

    /// <summary>
    /// Fails when the task has stayed Paused for <see cref="PausedLimit"/>: longer than auto-resume's first backoffs
    /// (1, 2, 4, 8 s), so a resumable error that resumes is tolerated and one that does not is reported with its status.
    /// Pauses seen are kept in <see cref="PausesSeen"/> for the test's output.
    /// </summary>
    public async Task AssertNotPausedAsync(string task)
    {
        var status = await StatusAsync(task);
        if (status["stage"]?.GetValue<string>() != "Paused")
        {
            _pausedSince.Remove(task);
            return;
        }
        var error = status["error_msg"]?.GetValue<string>();
        if (error is { Length: > 0 } && !PausesSeen.Contains(error)) PausesSeen.Add(error);
        if (!_pausedSince.TryGetValue(task, out var since)) _pausedSince[task] = since = DateTime.UtcNow;
        if (DateTime.UtcNow - since > PausedLimit)
            throw new Xunit.Sdk.XunitException($"task {task} has been Paused for {PausedLimit.TotalSeconds:0}s: {status.ToJsonString()}");
    }

    /// <summary>20 s, or DM_SYNC_PAUSED_LIMIT_SECONDS (to see whether a task that keeps pausing would still converge).</summary>
    /// <summary>The task's status and the pauses seen so far, for a failure message.</summary>
    public async Task<string> DescribeAsync(string task) =>
        $"task status: {(await StatusAsync(task)).ToJsonString()}\npauses seen: {string.Join(" | ", PausesSeen)}\n" +
        $"target sessions:\n{await SessionsAsync(Target)}";

    /// <summary>What every session on a server is doing (a stuck task shows here: lock waits, open transactions).</summary>
    private static async Task<string> SessionsAsync(MariaDbServer server)
    {
        var lines = new List<string>();
        await using var connection = await server.OpenAsync();
        await using var command = new MySqlConnector.MySqlCommand(
            "SELECT ID, COMMAND, TIME, STATE, LEFT(INFO, 200) FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            lines.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : reader.GetValue(i).ToString())));
        return string.Join("\n", lines);
    }

    public static readonly TimeSpan PausedLimit = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("DM_SYNC_PAUSED_LIMIT_SECONDS"), out var seconds) ? seconds : 20);
    private readonly Dictionary<string, DateTime> _pausedSince = [];
    public List<string> PausesSeen { get; } = [];

    /// <summary>Waits for the task to run in the Sync unit; fails at once if it pauses instead.</summary>
    public async Task WaitForSyncRunningAsync(string task, TimeSpan timeout) =>
        await MigrationEnvironment.WaitForAsync(async () =>
        {
            await AssertNotPausedAsync(task);
            var status = await StatusAsync(task);
            return status["stage"]?.GetValue<string>() == "Running" && status["unit"]?.GetValue<string>() == "Sync";
        }, $"task {task} running in Sync", timeout);

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers) await worker.DisposeAsync();
        await Env.DisposeAsync();
    }
}
