using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dm.TestKit;
using Dm.TestKit.DataComparison;

namespace Dm.IntegrationTests;

/// <summary>
/// An incremental task replicating through a real worker's Sync unit, driven from outside like an operator
/// does: the schema tracker read, replaced and deleted through the API and dmctl, and a DDL the target
/// refuses that pauses the task until <c>binlog skip</c> or <c>binlog replace</c> lets it continue.
/// </summary>
public sealed class SyncControlTests
{
    private sealed record Setup(MigrationEnvironment Env, DmWorkerProcess Worker, string BinlogFile) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Worker.DisposeAsync();
            await Env.DisposeAsync();
        }
    }

    /// <summary>Upstream shop.orders created after the task's start position, replicated by an incremental task.</summary>
    private static async Task<Setup> StartReplicatingAsync(string name, int serverId, string task, string source, int rows,
        int keepAliveTtlSeconds = 3)
    {
        var env = await MigrationEnvironment.StartAsync($"{name}-master", serverId, rows: 0);
        var worker = await DmWorkerProcess.StartAsync($"{name}-worker", [env.Master], keepAliveTtlSeconds);
        await env.CreateSourceAsync(source, env.Upstream);
        string file;
        long pos;
        await using (var connection = await env.Upstream.OpenAsync())
        await using (var command = new MySqlConnector.MySqlCommand("SHOW MASTER STATUS", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            (file, pos) = (reader.GetString(0), reader.GetInt64(1));
        }
        await env.Upstream.ExecuteAsync($"""
            CREATE DATABASE shop;
            CREATE TABLE shop.orders (id BIGINT PRIMARY KEY, amount DECIMAL(12,2), note VARCHAR(200));
            INSERT INTO shop.orders SELECT seq, seq / 7, CONCAT('order ', seq) FROM shop.seq_1_to_{rows};
            """);
        await env.CreateTaskAsync(new
        {
            task = new
            {
                name = task, task_mode = "incremental", meta_schema = "dm_meta", enhance_online_schema_change = true, on_duplicate = "replace",
                target_config = new { host = env.Target.Host, port = env.Target.Port, user = env.Target.User, password = env.Target.Password },
                table_migrate_rule = new[] { new { source = new { source_name = source, schema = "shop", table = "*" } } },
                source_config = new { source_conf = new[] { new { source_name = source, binlog_name = file, binlog_pos = pos } } },
            },
        });
        await env.StartTaskAsync(task);
        await WaitForRowsAsync(env, rows, task);
        return new Setup(env, worker, file);
    }

    private static async Task WaitForRowsAsync(MigrationEnvironment env, long rows, string task)
    {
        try
        {
            await MigrationEnvironment.WaitForAsync(async () =>
            {
                try
                {
                    return Convert.ToInt64(await env.Target.ScalarAsync("SELECT COUNT(*) FROM shop.orders")) == rows;
                }
                catch (MySqlConnector.MySqlException)
                {
                    return false; // not created yet
                }
            }, $"{rows} rows in the target", TimeSpan.FromMinutes(1));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; task status: {(await env.StatusAsync(task)).ToJsonString()}", e);
        }
    }

    private static async Task InsertAsync(MigrationEnvironment env, int from, int to) => await env.Upstream.ExecuteAsync(
        $"INSERT INTO shop.orders SELECT seq, seq / 7, CONCAT('order ', seq) FROM shop.seq_{from}_to_{to}");

    private static async Task<(int Status, JsonNode? Body)> SendAsync(MigrationEnvironment env, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body == null ? null : JsonContent.Create(body) };
        using var response = await env.Master.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static async Task AssertRowsSameAsync(MigrationEnvironment env)
    {
        await using var source = await env.Upstream.OpenAsync();
        await using var target = await env.Target.OpenAsync();
        Assert.Equal(await TableChecksum.ComputeAsync(source, "shop", "orders"), await TableChecksum.ComputeAsync(target, "shop", "orders"));
    }

    /// <summary>Same rows and same structure.</summary>
    private static async Task AssertCopiedAsync(MigrationEnvironment env)
    {
        await using var source = await env.Upstream.OpenAsync();
        await using var target = await env.Target.OpenAsync();
        await MigrationComparer.AssertSameAsync(source, target, [(("shop", "orders"), ("shop", "orders"))]);
    }

    [Fact]
    public async Task TrackedStructureIsReadReplacedAndDeletedThroughApiAndDmctl()
    {
        await using var setup = await StartReplicatingAsync("sync-q-1", 73, "q-track", "q-src-track", 100);
        var env = setup.Env;
        const string sources = "/api/v1/tasks/q-track/sources/q-src-track";
        const string table = $"{sources}/schemas/shop/orders";

        var schemas = await SendAsync(env, HttpMethod.Get, $"{sources}/schemas");
        Assert.True(schemas.Status == 200, schemas.Body?.ToJsonString());
        Assert.Contains("shop", schemas.Body!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["orders"], (await SendAsync(env, HttpMethod.Get, $"{sources}/schemas/shop")).Body!.AsArray().Select(s => s!.GetValue<string>()));
        var got = (await SendAsync(env, HttpMethod.Get, table)).Body!;
        Assert.Equal("shop", got["schema_name"]!.GetValue<string>());
        Assert.Equal("orders", got["table_name"]!.GetValue<string>());
        Assert.Contains("`amount`", got["schema_create_sql"]!.GetValue<string>());
        var listed = (await DmctlRun.RunAsync(env.Master, "binlog-schema", "list", "q-track", "shop", "orders")).Ok();
        Assert.Contains("`amount`", listed["sources"]![0]!["msg"]!.GetValue<string>());

        await env.StopTaskAsync("q-track");
        await env.WaitForStageAsync("q-track", "Paused", TimeSpan.FromSeconds(30));
        Assert.Equal(200, (await SendAsync(env, HttpMethod.Put, table, new
        {
            schema_source = "sql", sql_content = "CREATE TABLE orders (id BIGINT PRIMARY KEY, amount DECIMAL(12,2), note VARCHAR(200), extra INT)",
        })).Status);
        Assert.Contains("extra", (await SendAsync(env, HttpMethod.Get, table)).Body!["schema_create_sql"]!.GetValue<string>());
        Assert.Equal(200, (await SendAsync(env, HttpMethod.Put, table, new { schema_source = "upstream" })).Status);
        Assert.DoesNotContain("extra", (await SendAsync(env, HttpMethod.Get, table)).Body!["schema_create_sql"]!.GetValue<string>());

        (await DmctlRun.RunAsync(env.Master, "binlog-schema", "delete", "q-track", "shop", "orders")).Ok();
        var deleted = await SendAsync(env, HttpMethod.Get, table);
        Assert.Equal(400, deleted.Status);
        Assert.Equal(44005, deleted.Body!["error_code"]!.GetValue<int>());
        Assert.Equal(400, (await SendAsync(env, HttpMethod.Delete, table)).Status);
        (await DmctlRun.RunAsync(env.Master, "binlog-schema", "update", "q-track", "shop", "orders", "--from-target")).Ok();
        Assert.Contains("`amount`", (await SendAsync(env, HttpMethod.Get, table)).Body!["schema_create_sql"]!.GetValue<string>());
        Assert.Equal(204, (await SendAsync(env, HttpMethod.Delete, table)).Status);
        Assert.Equal(200, (await SendAsync(env, HttpMethod.Put, table, new { schema_source = "downstream" })).Status);

        await env.StartTaskAsync("q-track");
        await InsertAsync(env, 101, 150);
        await WaitForRowsAsync(env, 150, "q-track");
        await AssertCopiedAsync(env);
    }

    [Fact]
    public async Task ARefusedDdlPausesTheTaskAndBinlogSkipLetsItContinue()
    {
        await using var setup = await StartReplicatingAsync("sync-q-2", 75, "q-skip", "q-src-skip", 20);
        var env = setup.Env;
        await env.Target.ExecuteAsync("ALTER TABLE shop.orders ADD INDEX idx_amount (amount)");
        await env.Upstream.ExecuteAsync("ALTER TABLE shop.orders ADD INDEX idx_amount (amount)");
        await InsertAsync(env, 21, 50);

        var paused = await env.WaitForStageAsync("q-skip", "Paused", TimeSpan.FromMinutes(1), s => s["error_msg"]?.GetValue<string>() is { Length: > 0 });
        var error = paused["error_msg"]!.GetValue<string>();
        Assert.Contains("idx_amount", error);
        Assert.Contains(setup.BinlogFile, error);
        Assert.Empty((await SendAsync(env, HttpMethod.Post, "/api/v1/tasks/q-skip/binlog/list", new { })).Body!["data"]![0]!["operations"]!.AsArray());

        var skip = await SendAsync(env, HttpMethod.Post, "/api/v1/tasks/q-skip/binlog/skip", new { });
        Assert.True(skip.Status == 200 && skip.Body!["data"]![0]!["result"]!.GetValue<bool>(), skip.Body?.ToJsonString());
        var operations = (await SendAsync(env, HttpMethod.Post, "/api/v1/tasks/q-skip/binlog/list", new { })).Body!["data"]![0]!["operations"]!.AsArray();
        Assert.Equal("skip", Assert.Single(operations)!["op"]!.GetValue<string>());

        await env.StartTaskAsync("q-skip");
        await WaitForRowsAsync(env, 50, "q-skip");
        await env.WaitForStageAsync("q-skip", "Running", TimeSpan.FromSeconds(30));
        await AssertCopiedAsync(env);
    }

    [Fact]
    public async Task BinlogReplaceRunsOtherStatementsInsteadOfTheRefusedDdl()
    {
        await using var setup = await StartReplicatingAsync("sync-q-3", 77, "q-replace", "q-src-replace", 20);
        var env = setup.Env;
        // The target already has an index of that name (on another column): the upstream's ADD INDEX fails there.
        await env.Target.ExecuteAsync("ALTER TABLE shop.orders ADD INDEX idx_note (amount)");
        await env.Upstream.ExecuteAsync("ALTER TABLE shop.orders ADD INDEX idx_note (note)");
        await InsertAsync(env, 21, 40);

        var paused = await env.WaitForStageAsync("q-replace", "Paused", TimeSpan.FromMinutes(1), s => s["error_msg"]?.GetValue<string>() is { Length: > 0 });
        Assert.Contains("idx_note", paused["error_msg"]!.GetValue<string>());
        (await DmctlRun.RunAsync(env.Master, "binlog", "replace", "q-replace", "ALTER TABLE shop.orders ADD INDEX idx_note_2 (note)")).Ok();
        var listed = (await DmctlRun.RunAsync(env.Master, "binlog", "list", "q-replace")).Ok();
        var msg = listed["sources"]![0]!["msg"]!.GetValue<string>();
        Assert.Contains("replace", msg);
        Assert.Contains("idx_note_2", msg);

        (await DmctlRun.RunAsync(env.Master, "resume-task", "q-replace")).Ok();
        await WaitForRowsAsync(env, 40, "q-replace");
        await env.WaitForStageAsync("q-replace", "Running", TimeSpan.FromSeconds(30));
        await AssertRowsSameAsync(env);
        Assert.Equal(1L, Convert.ToInt64(await env.Target.ScalarAsync(
            "SELECT COUNT(DISTINCT INDEX_NAME) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME = 'orders' AND INDEX_NAME = 'idx_note_2'")));
    }

    [Fact]
    public async Task ForcedDeleteStopsTheRunningSubtaskBeforeItDropsTheMetaTables()
    {
        await using var setup = await StartReplicatingAsync("sync-q-4", 79, "q-delete", "q-src-delete", 20, keepAliveTtlSeconds: 10);
        var env = setup.Env;
        const string metaTables = "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'dm_meta' AND TABLE_NAME LIKE 'q-delete\\_%'";
        Assert.True(Convert.ToInt64(await env.Target.ScalarAsync(metaTables)) > 0);

        // A stalled worker (well within its 10 s lease) hears of the deletion late: the master must wait for it.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        setup.Worker.Freeze();
        Task<(int Status, JsonNode? Body)> deleting;
        try
        {
            deleting = SendAsync(env, HttpMethod.Delete, "/api/v1/tasks/q-delete?force=true");
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.False(deleting.IsCompleted, "the deletion answered while the worker still ran the subtask");
        }
        finally
        {
            setup.Worker.Thaw();
        }
        var deleted = await deleting;
        Assert.True(deleted.Status == 204, deleted.Body?.ToJsonString());
        // Answered because the worker reported the subtask stopped, not because the master gave up waiting (10 s).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"the deletion took {clock.Elapsed}");
        await MigrationEnvironment.WaitForAsync(() => Task.FromResult(setup.Worker.ReadLog()
            .Contains("subtask q-delete stopped: no longer assigned", StringComparison.Ordinal)), "the worker's stop line", TimeSpan.FromSeconds(5));
        // Dropped after the subtask's final flush, the checkpoint tables stay dropped.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(0L, Convert.ToInt64(await env.Target.ScalarAsync(metaTables)));
    }
}
