using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dm.TestKit;
using Dm.TestKit.DataComparison;

namespace Dm.IntegrationTests;

/// <summary>
/// Upstream and target MariaDB servers with a seeded shop schema, a dm-master, and the API calls the
/// migration tests make (create source and task, start/stop, wait for a stage, compare target with source).
/// </summary>
public sealed class MigrationEnvironment : IAsyncDisposable
{
    public MariaDbServer Upstream { get; private init; } = null!;
    public MariaDbServer Target { get; private init; } = null!;
    public DmMasterProcess Master { get; private init; } = null!;

    /// <param name="rows">rows of the seeded shop.orders; 0 seeds nothing (the test brings its own data).</param>
    public static async Task<MigrationEnvironment> StartAsync(string name, int serverId, int rows)
    {
        var servers = await Task.WhenAll(
            MariaDbServer.StartAsync(new MariaDbOptions { ServerId = serverId }),
            MariaDbServer.StartAsync(new MariaDbOptions { ServerId = serverId + 1 }));
        var env = new MigrationEnvironment { Upstream = servers[0], Target = servers[1], Master = await DmMasterProcess.StartAsync(name) };
        if (rows > 0) await SeedAsync(env.Upstream, "shop", rows);
        return env;
    }

    /// <summary>An environment of servers the caller started (and this environment now disposes of).</summary>
    public static MigrationEnvironment Of(MariaDbServer upstream, MariaDbServer target, DmMasterProcess master) =>
        new() { Upstream = upstream, Target = target, Master = master };

    public static async Task SeedAsync(MariaDbServer server, string schema, int rows) => await server.ExecuteAsync($"""
        CREATE DATABASE `{schema}`;
        CREATE TABLE `{schema}`.orders (id BIGINT PRIMARY KEY, customer INT NOT NULL, amount DECIMAL(12,2), note VARCHAR(200), created DATETIME(6));
        CREATE TABLE `{schema}`.notes (a INT, b TEXT);
        INSERT INTO `{schema}`.notes VALUES (1, 'x'), (1, 'x'), (NULL, NULL);
        INSERT INTO `{schema}`.orders SELECT seq, seq % 1000, seq / 7, CONCAT('order ', seq), TIMESTAMP('2024-01-01') + INTERVAL seq SECOND
          FROM `{schema}`.seq_1_to_{rows};
        """);

    /// <param name="relay">the source's relay_config (e.g. <c>new { enable_relay = true }</c>), null for none.</param>
    /// <param name="purge">the source's relay purge settings, null for DM's defaults.</param>
    public async Task CreateSourceAsync(string source, MariaDbServer server, bool enableGtid = false, object? relay = null, object? purge = null)
    {
        var response = await Master.Http.PostAsJsonAsync("/api/v1/sources", new
        {
            source = new { source_name = source, host = server.Host, port = server.Port, user = server.User, password = server.Password,
                enable_gtid = enableGtid, enable = true, relay_config = relay, purge },
        }, new System.Text.Json.JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });
        Assert.True((int)response.StatusCode == 201, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A full task copying <paramref name="schema"/> of the source into <paramref name="targetSchema"/>.</summary>
    public async Task CreateTaskAsync(string task, string source, string schema, string targetSchema, int importThreads = 4) =>
        await CreateTaskAsync(new
        {
            task = new
            {
                name = task, task_mode = "full", meta_schema = "dm_meta", enhance_online_schema_change = true, on_duplicate = "replace",
                target_config = new { host = Target.Host, port = Target.Port, user = Target.User, password = Target.Password },
                table_migrate_rule = new[] { new { source = new { source_name = source, schema, table = "*" }, target = new { schema = targetSchema, table = "" } } },
                source_config = new
                {
                    full_migrate_conf = new { export_threads = 2, import_threads = importThreads },
                    source_conf = new[] { new { source_name = source } },
                },
            },
        });

    /// <summary>POST /tasks with the body as given; asserts 201.</summary>
    public async Task CreateTaskAsync(object body)
    {
        var response = await Master.Http.PostAsJsonAsync("/api/v1/tasks", body);
        Assert.True((int)response.StatusCode == 201, await response.Content.ReadAsStringAsync());
    }

    public async Task StartTaskAsync(string task) =>
        Assert.Equal(200, (int)(await Master.Http.PostAsync($"/api/v1/tasks/{task}/start", null)).StatusCode);

    public async Task StopTaskAsync(string task) =>
        Assert.Equal(200, (int)(await Master.Http.PostAsync($"/api/v1/tasks/{task}/stop", null)).StatusCode);

    public async Task<JsonNode> StatusAsync(string task)
    {
        var status = await Master.Http.GetFromJsonAsync<JsonObject>($"/api/v1/tasks/{task}/status");
        return status!["data"]![0]!;
    }

    public async Task<JsonNode> WaitForStageAsync(string task, string stage, TimeSpan timeout, Func<JsonNode, bool>? also = null)
    {
        JsonNode? last = null;
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            last = await StatusAsync(task);
            if (last["stage"]!.GetValue<string>() == stage && (also == null || also(last))) return last;
            await Task.Delay(200);
        }
        throw new TimeoutException($"task {task} did not reach {stage}; last status: {last?.ToJsonString()}");
    }

    /// <summary>Rows already copied into the target schema (InnoDB's estimate: enough to see the copy moving).</summary>
    public async Task<long> TargetRowsAsync(string schema) => Convert.ToInt64(await Target.ScalarAsync(
        $"SELECT IFNULL(SUM(TABLE_ROWS), 0) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{schema}'"));

    public async Task AssertCopiedAsync(MariaDbServer upstream, string schema, string targetSchema)
    {
        await using var source = await upstream.OpenAsync();
        await using var target = await Target.OpenAsync();
        await MigrationComparer.AssertSameAsync(source, target,
            [((schema, "orders"), (targetSchema, "orders")), ((schema, "notes"), (targetSchema, "notes"))]);
    }

    public static async Task WaitForAsync(Func<Task<bool>> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"timed out waiting for {what}");
    }

    public async ValueTask DisposeAsync()
    {
        await Master.DisposeAsync();
        await Upstream.DisposeAsync();
        await Target.DisposeAsync();
    }
}
