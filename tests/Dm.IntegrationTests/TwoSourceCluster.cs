using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dm.TestKit;

namespace Dm.IntegrationTests;

/// <summary>
/// DM's most ordinary set-up, shared by the tests of a class: two upstream MariaDB servers as sources <c>mysql-01</c>
/// and <c>mysql-02</c>, each bound to its own worker, one target and one master.
/// </summary>
public class TwoSourceCluster : IAsyncLifetime
{
    public const string Source1 = "mysql-01";
    public const string Source2 = "mysql-02";

    public MigrationEnvironment Env { get; private set; } = null!;
    public MariaDbServer Upstream1 => Env.Upstream;
    public MariaDbServer Upstream2 { get; private set; } = null!;
    public MariaDbServer Target => Env.Target;
    public DmMasterProcess Master => Env.Master;
    public DmWorkerProcess Worker1 { get; private set; } = null!;
    public DmWorkerProcess Worker2 { get; private set; } = null!;

    /// <summary>The worker each source is bound to.</summary>
    public IReadOnlyDictionary<string, string> Bindings { get; private set; } = new Dictionary<string, string>();

    /// <summary>The first upstream, the target and the master the API is asked of (one master on its local store here).</summary>
    protected virtual Task<MigrationEnvironment> StartEnvironmentAsync() => MigrationEnvironment.StartAsync("two-source-master", 61, rows: 0);

    /// <summary>The masters the workers join.</summary>
    protected virtual IEnumerable<DmMasterProcess> JoinedMasters => [Master];

    /// <summary>The workers' keepalive-ttl, in seconds.</summary>
    protected virtual int KeepAliveTtlSeconds => 3;

    public async Task InitializeAsync()
    {
        var second = MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 63 });
        Env = await StartEnvironmentAsync();
        Upstream2 = await second;
        Worker1 = await DmWorkerProcess.StartAsync("two-source-worker-1", JoinedMasters, KeepAliveTtlSeconds);
        Worker2 = await DmWorkerProcess.StartAsync("two-source-worker-2", JoinedMasters, KeepAliveTtlSeconds);
        await MigrationEnvironment.WaitForAsync(async () => (await FreeWorkersAsync()) == 2, "both workers free", TimeSpan.FromSeconds(30));
        await Env.CreateSourceAsync(Source1, Upstream1);
        await Env.CreateSourceAsync(Source2, Upstream2);
        await MigrationEnvironment.WaitForAsync(async () =>
        {
            var workers = (await Master.Http.GetFromJsonAsync<JsonObject>("/api/v1/cluster/workers"))!["data"]!.AsArray();
            Bindings = workers.Where(w => w!["bound_stage"]!.GetValue<string>() == "bound")
                .ToDictionary(w => w!["bound_source_name"]!.GetValue<string>(), w => w!["name"]!.GetValue<string>());
            return Bindings.Count == 2;
        }, "both sources bound", TimeSpan.FromSeconds(30));
        Assert.NotEqual(Bindings[Source1], Bindings[Source2]);
    }

    private async Task<int> FreeWorkersAsync() =>
        (await Master.Http.GetFromJsonAsync<JsonObject>("/api/v1/cluster/workers"))!["data"]!.AsArray()
            .Count(w => w!["bound_stage"]!.GetValue<string>() == "free");

    public MariaDbServer Upstream(string source) => source == Source1 ? Upstream1 : Upstream2;

    /// <summary>The worker process the source is bound to.</summary>
    public DmWorkerProcess WorkerOf(string source) => Bindings[source] == Worker1.Name ? Worker1 : Worker2;

    /// <summary>Every subtask's status, by source.</summary>
    public async Task<Dictionary<string, JsonNode>> StatusesAsync(string task)
    {
        var status = await Master.Http.GetFromJsonAsync<JsonObject>($"/api/v1/tasks/{task}/status");
        return status!["data"]!.AsArray().ToDictionary(s => s!["source_name"]!.GetValue<string>(), s => s!);
    }

    /// <summary>Waits until every subtask of the task satisfies <paramref name="done"/>; fails at once on an error.</summary>
    public async Task<Dictionary<string, JsonNode>> WaitForAllAsync(string task, string what, Func<JsonNode, bool> done, TimeSpan timeout)
    {
        Dictionary<string, JsonNode>? last = null;
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            last = await StatusesAsync(task);
            var failed = last.Values.FirstOrDefault(s => s["error_msg"]?.GetValue<string>() is { Length: > 0 });
            if (failed != null) throw new Xunit.Sdk.XunitException($"task {task} failed: {failed.ToJsonString()}");
            if (last.Count > 0 && last.Values.All(done)) return last;
            await Task.Delay(200);
        }
        throw new TimeoutException($"task {task}: {what} not reached; last status: {string.Join(" ", last?.Values.Select(v => v.ToJsonString()) ?? [])}");
    }

    public static bool InSync(JsonNode s) => s["stage"]!.GetValue<string>() == "Running" && s["unit"]!.GetValue<string>() == "Sync";

    public static bool Finished(JsonNode s) => s["stage"]!.GetValue<string>() == "Finished";

    /// <summary>A task body over both sources; <paramref name="rules"/> and <paramref name="sourceConf"/> as the OpenAPI takes them.</summary>
    public object TaskBody(string name, string mode, object[] rules, object[]? sourceConf = null, object? fullConf = null) => new
    {
        task = new
        {
            name,
            task_mode = mode,
            meta_schema = "dm_meta",
            enhance_online_schema_change = false,
            on_duplicate = "replace",
            target_config = new { host = Target.Host, port = Target.Port, user = Target.User, password = Target.Password },
            table_migrate_rule = rules,
            source_config = new
            {
                full_migrate_conf = fullConf ?? new { export_threads = 2, import_threads = 2 },
                incr_migrate_conf = new { repl_threads = 4, repl_batch = 100 },
                source_conf = sourceConf ?? [new { source_name = Source1 }, new { source_name = Source2 }],
            },
        },
    };

    /// <summary>A table migrate rule; without <paramref name="targetSchema"/> it has no target (names stay as upstream).</summary>
    public static object Rule(string source, string schema, string table, string? targetSchema = null, string targetTable = "") =>
        targetSchema is null
            ? new { source = new { source_name = source, schema, table } }
            : new { source = new { source_name = source, schema, table }, target = new { schema = targetSchema, table = targetTable } };

    public virtual async Task DisposeAsync()
    {
        if (Worker1 != null) await Worker1.DisposeAsync();
        if (Worker2 != null) await Worker2.DisposeAsync();
        if (Upstream2 != null) await Upstream2.DisposeAsync();
        if (Env != null) await Env.DisposeAsync();
    }
}
