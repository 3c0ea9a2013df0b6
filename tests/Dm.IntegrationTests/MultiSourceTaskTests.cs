using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dm.TestKit;
using Dm.TestKit.DataComparison;
using MySqlConnector;

namespace Dm.IntegrationTests;

/// <summary>
/// One task over two sources bound to two different workers, as DM users run it: each worker builds its own subtask
/// from the task's per-source rules. Each test ends with the target compared with the union of the sources.
/// </summary>
public sealed class MultiSourceTaskTests(TwoSourceCluster cluster) : IClassFixture<TwoSourceCluster>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>An orders table with ids <c>first+1 .. first+rows</c> and a secondary index.</summary>
    private static async Task SeedAsync(MariaDbServer server, string schema, string table, long first, int rows) => await server.ExecuteAsync($"""
        CREATE DATABASE IF NOT EXISTS `{schema}`;
        CREATE TABLE `{schema}`.`{table}` (id BIGINT PRIMARY KEY, customer INT NOT NULL, amount DECIMAL(12,2), note VARCHAR(200), created DATETIME(6),
          KEY k_customer (customer), KEY k_note (note, created));
        INSERT INTO `{schema}`.`{table}` SELECT {first} + seq, seq % 100, seq / 7, CONCAT('row ', seq), TIMESTAMP('2024-01-01') + INTERVAL seq SECOND
          FROM `{schema}`.seq_1_to_{rows};
        """);

    /// <summary>Inserts, updates and deletes while the task replicates (ids above <paramref name="first"/> are new).</summary>
    private static async Task ChangeAsync(MariaDbServer server, string schema, string table, long first) => await server.ExecuteAsync($"""
        INSERT INTO `{schema}`.`{table}` SELECT {first} + seq, seq, seq / 3, CONCAT('new ', seq), NOW(6) FROM `{schema}`.seq_1_to_150;
        UPDATE `{schema}`.`{table}` SET amount = amount + 1, note = 'updated' WHERE id % 10 = 3;
        DELETE FROM `{schema}`.`{table}` WHERE id % 10 = 7;
        """);

    private static async Task<TableChecksum> ChecksumAsync(MariaDbServer server, string schema, string table)
    {
        await using var connection = await server.OpenAsync();
        return await TableChecksum.ComputeAsync(connection, schema, table);
    }

    /// <summary>Waits until the target table holds exactly the rows of the given upstream tables together.</summary>
    private async Task WaitForUnionAsync((string Schema, string Table) target, params (MariaDbServer Server, string Schema, string Table)[] sources)
    {
        TableChecksum? expected = null, actual = null;
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            expected = null;
            foreach (var (server, schema, table) in sources)
            {
                var sum = await ChecksumAsync(server, schema, table);
                expected = expected is null ? sum : expected + sum;
            }
            try { actual = await ChecksumAsync(cluster.Target, target.Schema, target.Table); }
            catch (InvalidOperationException) { actual = null; }
            if (actual == expected) return;
            await Task.Delay(200);
        }
        Assert.Fail($"{target.Schema}.{target.Table}: expected {expected}, target {actual}");
    }

    private async Task AssertSameAsync(MariaDbServer upstream, (string, string) from, (string, string) to)
    {
        await using var source = await upstream.OpenAsync();
        await using var target = await cluster.Target.OpenAsync();
        await MigrationComparer.AssertSameAsync(source, target, [(from, to)]);
    }

    private async Task CreateAndStartAsync(object body, string task)
    {
        await cluster.Env.CreateTaskAsync(body);
        await cluster.Env.StartTaskAsync(task);
    }

    private void AssertOnBothWorkers(Dictionary<string, JsonNode> statuses)
    {
        Assert.Equal(2, statuses.Count);
        foreach (var (source, status) in statuses)
            Assert.Equal(cluster.Bindings[source], status["worker_name"]!.GetValue<string>());
    }

    /// <summary><paramref name="schema"/>.orders_a on the first source and .orders_b on the second, and a task with one rule per
    /// source copying <paramref name="schema"/>.* of each into <paramref name="target"/>, started.</summary>
    private async Task SeedAndStartPerSourceTaskAsync(string task, string mode, string schema, string target, int rows)
    {
        await SeedAsync(cluster.Upstream1, schema, "orders_a", 0, rows);
        await SeedAsync(cluster.Upstream2, schema, "orders_b", 0, rows * 2 / 3);
        await CreateAndStartAsync(cluster.TaskBody(task, mode,
        [
            TwoSourceCluster.Rule(TwoSourceCluster.Source1, schema, "*", target),
            TwoSourceCluster.Rule(TwoSourceCluster.Source2, schema, "*", target),
        ]), task);
    }

    [Fact]
    public async Task An_all_task_with_one_rule_per_source_reaches_Sync_on_both_workers_and_converges()
    {
        await SeedAndStartPerSourceTaskAsync("ms-all", "all", "ms_all", "ms_all_t", 3000);
        AssertOnBothWorkers(await cluster.WaitForAllAsync("ms-all", "Sync", TwoSourceCluster.InSync, Timeout));

        await ChangeAsync(cluster.Upstream1, "ms_all", "orders_a", 10_000);
        await ChangeAsync(cluster.Upstream2, "ms_all", "orders_b", 10_000);
        await WaitForUnionAsync(("ms_all_t", "orders_a"), (cluster.Upstream1, "ms_all", "orders_a"));
        await WaitForUnionAsync(("ms_all_t", "orders_b"), (cluster.Upstream2, "ms_all", "orders_b"));
        await AssertSameAsync(cluster.Upstream1, ("ms_all", "orders_a"), ("ms_all_t", "orders_a"));
        await AssertSameAsync(cluster.Upstream2, ("ms_all", "orders_b"), ("ms_all_t", "orders_b"));
        // Each source's rule is its own: nothing of one source reached the other's tables.
        Assert.Equal(0L, Convert.ToInt64(await cluster.Target.ScalarAsync(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'ms_all_t' AND TABLE_NAME NOT IN ('orders_a', 'orders_b')")));
        await cluster.Env.StopTaskAsync("ms-all");
    }

    [Fact]
    public async Task Shards_of_two_sources_routed_into_one_table_merge_into_their_union()
    {
        await SeedAsync(cluster.Upstream1, "ms_merge", "orders", 0, 2500);
        await SeedAsync(cluster.Upstream2, "ms_merge", "orders", 1_000_000, 1500);
        await CreateAndStartAsync(cluster.TaskBody("ms-merge", "all",
        [
            TwoSourceCluster.Rule(TwoSourceCluster.Source1, "ms_merge", "orders", "ms_merge_t", "all_orders"),
            TwoSourceCluster.Rule(TwoSourceCluster.Source2, "ms_merge", "orders", "ms_merge_t", "all_orders"),
        ]), "ms-merge");
        AssertOnBothWorkers(await cluster.WaitForAllAsync("ms-merge", "Sync", TwoSourceCluster.InSync, Timeout));

        await ChangeAsync(cluster.Upstream1, "ms_merge", "orders", 500_000);
        await ChangeAsync(cluster.Upstream2, "ms_merge", "orders", 2_000_000);
        await WaitForUnionAsync(("ms_merge_t", "all_orders"),
            (cluster.Upstream1, "ms_merge", "orders"), (cluster.Upstream2, "ms_merge", "orders"));
        await using var source = await cluster.Upstream1.OpenAsync();
        await using var target = await cluster.Target.OpenAsync();
        Assert.Equal(
            (await MigrationComparer.ShowCreateAsync(source, ("ms_merge", "orders"))).Replace("`orders`", "`all_orders`"),
            await MigrationComparer.ShowCreateAsync(target, ("ms_merge_t", "all_orders")));
        await cluster.Env.StopTaskAsync("ms-merge");
    }

    [Fact]
    public async Task A_full_task_over_two_sources_finishes_on_both()
    {
        await SeedAndStartPerSourceTaskAsync("ms-full", "full", "ms_full", "ms_full_t", 4000);
        AssertOnBothWorkers(await cluster.WaitForAllAsync("ms-full", "Finished", TwoSourceCluster.Finished, Timeout));
        await AssertSameAsync(cluster.Upstream1, ("ms_full", "orders_a"), ("ms_full_t", "orders_a"));
        await AssertSameAsync(cluster.Upstream2, ("ms_full", "orders_b"), ("ms_full_t", "orders_b"));
    }

    [Fact]
    public async Task An_incremental_task_starts_each_source_at_its_own_binlog_position()
    {
        // Rows written before each source's position exist upstream only; the task must begin exactly at the position.
        // (CREATE DATABASE IF NOT EXISTS on the target: DM's table-level block-allow list lets any CREATE DATABASE through, so
        // another test's task still in Sync may have replicated the upstream's.)
        await SeedAsync(cluster.Upstream1, "ms_incr", "orders_a", 0, 500);
        await SeedAsync(cluster.Upstream2, "ms_incr", "orders_b", 0, 500);
        await cluster.Target.ExecuteAsync("""
            CREATE DATABASE IF NOT EXISTS ms_incr;
            CREATE TABLE ms_incr.orders_a (id BIGINT PRIMARY KEY, customer INT NOT NULL, amount DECIMAL(12,2), note VARCHAR(200), created DATETIME(6),
              KEY k_customer (customer), KEY k_note (note, created));
            CREATE TABLE ms_incr.orders_b LIKE ms_incr.orders_a;
            """);
        // Different amounts of traffic on each server, so that their positions differ.
        await cluster.Upstream2.ExecuteAsync("CREATE DATABASE ms_noise; CREATE TABLE ms_noise.t (id INT PRIMARY KEY); INSERT INTO ms_noise.t SELECT seq FROM ms_noise.seq_1_to_300");
        var position1 = await Sync.SyncTestEnvironment.MasterPositionAsync(cluster.Upstream1);
        var position2 = await Sync.SyncTestEnvironment.MasterPositionAsync(cluster.Upstream2);
        Assert.NotEqual(position1.Position, position2.Position);
        await ChangeAsync(cluster.Upstream1, "ms_incr", "orders_a", 10_000);
        await ChangeAsync(cluster.Upstream2, "ms_incr", "orders_b", 20_000);

        await CreateAndStartAsync(cluster.TaskBody("ms-incr", "incremental",
            [
                TwoSourceCluster.Rule(TwoSourceCluster.Source1, "ms_incr", "*", "ms_incr"),
                TwoSourceCluster.Rule(TwoSourceCluster.Source2, "ms_incr", "*", "ms_incr"),
            ],
            [
                new { source_name = TwoSourceCluster.Source1, binlog_name = position1.File, binlog_pos = position1.Position },
                new { source_name = TwoSourceCluster.Source2, binlog_name = position2.File, binlog_pos = position2.Position },
            ]), "ms-incr");
        AssertOnBothWorkers(await cluster.WaitForAllAsync("ms-incr", "Sync", TwoSourceCluster.InSync, Timeout));

        // What the target must hold: the rows changed after the position, as they are now upstream. Kept in a schema the
        // task does not replicate.
        foreach (var (server, table) in new[] { (cluster.Upstream1, "orders_a"), (cluster.Upstream2, "orders_b") })
            await server.ExecuteAsync($"""
                CREATE DATABASE ms_expected;
                CREATE TABLE ms_expected.{table} LIKE ms_incr.{table};
                INSERT INTO ms_expected.{table} SELECT * FROM ms_incr.{table} WHERE id > 10000 OR id % 10 = 3;
                """);
        await WaitForUnionAsync(("ms_incr", "orders_a"), (cluster.Upstream1, "ms_expected", "orders_a"));
        await WaitForUnionAsync(("ms_incr", "orders_b"), (cluster.Upstream2, "ms_expected", "orders_b"));
        await cluster.Env.StopTaskAsync("ms-incr");
    }

    [Fact]
    public async Task Dump_files_keep_upstream_names_so_a_load_task_without_routes_loads_them_as_they_were()
    {
        await SeedAsync(cluster.Upstream1, "ms_dump", "first", 0, 700);
        await SeedAsync(cluster.Upstream1, "ms_dump", "second", 5000, 400);
        var dir = "./ms-dump-files";
        // The dump task routes both tables into one; its files must still name them as the upstream does.
        await cluster.Env.CreateTaskAsync(cluster.TaskBody("ms-dump", "dump",
            [TwoSourceCluster.Rule(TwoSourceCluster.Source1, "ms_dump", "*", "ms_dump", "t")],
            [new { source_name = TwoSourceCluster.Source1 }],
            new { export_threads = 2, import_threads = 2, data_dir = dir }));
        // Created, not started: Stopped, as DM shows it, also once the worker has built the subtask (heartbeats are 1 s apart).
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var created = (await cluster.StatusesAsync("ms-dump"))[TwoSourceCluster.Source1];
        Assert.Equal("Stopped", created["stage"]!.GetValue<string>());
        Assert.Equal("InvalidUnit", created["unit"]!.GetValue<string>());
        Assert.Null(created["dump_status"]);
        await cluster.Env.StartTaskAsync("ms-dump");
        await cluster.WaitForAllAsync("ms-dump", "Finished", TwoSourceCluster.Finished, Timeout);
        Assert.Equal(204, (int)(await cluster.Master.Http.DeleteAsync("/api/v1/tasks/ms-dump?force=true")).StatusCode);
        var files = Directory.GetFiles(Path.Combine(cluster.WorkerOf(TwoSourceCluster.Source1).BaseDirectory, dir)).Select(Path.GetFileName).ToList();
        Assert.Contains("ms_dump.first-schema.sql", files);
        Assert.Contains("ms_dump.second-schema.sql", files);

        await CreateAndStartAsync(cluster.TaskBody("ms-load", "load",
            [TwoSourceCluster.Rule(TwoSourceCluster.Source1, "ms_dump", "*")],
            [new { source_name = TwoSourceCluster.Source1 }],
            new { export_threads = 2, import_threads = 2, data_dir = dir }), "ms-load");
        await cluster.WaitForAllAsync("ms-load", "Finished", TwoSourceCluster.Finished, Timeout);
        await AssertSameAsync(cluster.Upstream1, ("ms_dump", "first"), ("ms_dump", "first"));
        await AssertSameAsync(cluster.Upstream1, ("ms_dump", "second"), ("ms_dump", "second"));
        Assert.Equal(0L, Convert.ToInt64(await cluster.Target.ScalarAsync(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'ms_dump' AND TABLE_NAME = 't'")));
    }
}
