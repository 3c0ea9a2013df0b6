using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dm.TestKit;
using Dm.TestKit.DataComparison;
using MySqlConnector;

namespace Dm.IntegrationTests;

/// <summary>
/// DM's pessimistic shard merge: two sources, each with two shards routed into one target table, a workload writing every
/// shard while their DDLs arrive in a different order on each source. A shard that reached a DDL waits (its rows are held)
/// until every shard of both sources did; the DDL is applied to the target once; the held rows are replayed. Each test ends
/// with the target compared with the union of the four shards, structure and rows.
/// </summary>
public sealed class ShardDdlPessimisticTests(TwoSourceCluster cluster) : IClassFixture<TwoSourceCluster>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private static readonly string[] Shards = ["t1", "t2"];

    /// <summary>Shard <c>tN</c> of source <c>s</c> holds ids from <c>(s * 2 + N) * 1_000_000</c>.</summary>
    private static long Base(int source, string shard) => (source * 2 + (shard == "t1" ? 1 : 2)) * 1_000_000L;

    private MariaDbServer Upstream(int source) => source == 1 ? cluster.Upstream1 : cluster.Upstream2;

    private async Task SeedAsync(string schema)
    {
        foreach (var source in new[] { 1, 2 })
            foreach (var shard in Shards)
                await Upstream(source).ExecuteAsync($"""
                    CREATE DATABASE IF NOT EXISTS `{schema}`;
                    CREATE TABLE `{schema}`.`{shard}` (id BIGINT PRIMARY KEY, v INT NOT NULL, note VARCHAR(50));
                    INSERT INTO `{schema}`.`{shard}` SELECT {Base(source, shard)} + seq, seq, CONCAT('seed ', seq) FROM `{schema}`.seq_1_to_300;
                    """);
    }

    private Task CreateAndStartAsync(string task, string schema, string targetSchema) =>
        ShardMerge.CreateAndStartTaskAsync(cluster, task, schema, targetSchema);

    /// <summary>Inserts into and updates every shard until cancelled; returns how many rounds ran.</summary>
    private async Task<int> WorkloadAsync(string schema, CancellationToken stop)
    {
        await using var c1 = await cluster.Upstream1.OpenAsync();
        await using var c2 = await cluster.Upstream2.OpenAsync();
        var rounds = 0;
        for (var i = 1; !stop.IsCancellationRequested; i++)
        {
            foreach (var (source, connection) in new[] { (1, c1), (2, c2) })
                foreach (var shard in Shards)
                {
                    await using var command = new MySqlCommand(
                        $"INSERT INTO `{schema}`.`{shard}` (id, v) VALUES ({Base(source, shard) + 100_000 + i}, {i}); " +
                        $"UPDATE `{schema}`.`{shard}` SET v = v + 1 WHERE id = {Base(source, shard) + 1 + i % 300}", connection);
                    await command.ExecuteNonQueryAsync(CancellationToken.None);
                }
            rounds++;
            try { await Task.Delay(15, stop); } catch (OperationCanceledException) { }
        }
        return rounds;
    }

    private static Task<TableChecksum> ChecksumAsync(MariaDbServer server, string schema, string table) => ShardMerge.ChecksumAsync(server, schema, table);

    private static Task<string> ColumnsAsync(MariaDbServer server, string schema, string table) => ShardMerge.ColumnsAsync(server, schema, table);

    /// <summary>Waits until the target holds the union of the four shards, with their structure.</summary>
    private async Task WaitForUnionAsync(string task, string schema, string targetSchema)
    {
        TableChecksum? expected = null, actual = null;
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            var statuses = await cluster.StatusesAsync(task);
            var failed = statuses.Values.FirstOrDefault(s => s["error_msg"]?.GetValue<string>() is { Length: > 0 });
            if (failed != null) Assert.Fail($"task {task} failed: {failed.ToJsonString()}");
            expected = null;
            foreach (var source in new[] { 1, 2 })
                foreach (var shard in Shards)
                {
                    var sum = await ChecksumAsync(Upstream(source), schema, shard);
                    expected = expected is null ? sum : expected + sum;
                }
            try { actual = await ChecksumAsync(cluster.Target, targetSchema, "merged"); }
            catch (InvalidOperationException) { actual = null; }
            if (actual == expected) break;
            await Task.Delay(250);
        }
        Assert.True(actual == expected, $"{targetSchema}.merged: expected {expected}, target {actual}");
        var upstreamColumns = await ColumnsAsync(cluster.Upstream1, schema, "t1");
        foreach (var source in new[] { 1, 2 })
            foreach (var shard in Shards)
                Assert.Equal(upstreamColumns, await ColumnsAsync(Upstream(source), schema, shard));
        Assert.Equal(upstreamColumns, await ColumnsAsync(cluster.Target, targetSchema, "merged"));
    }

    private Task<JsonNode> WaitForLockAsync(string task, Func<JsonNode, bool> state) => ShardMerge.WaitForLockAsync(cluster, task, state);

    private Task NoLockLeftAsync(string task) => ShardMerge.NoLockLeftAsync(cluster, task);

    /// <summary>The shards seeded, the task in Sync, and the workload writing (stopped with the token source).</summary>
    private async Task<(CancellationTokenSource Stop, Task<int> Workload)> BeginAsync(string task, string schema, string target)
    {
        await SeedAsync(schema);
        await CreateAndStartAsync(task, schema, target);
        var stop = new CancellationTokenSource();
        return (stop, WorkloadAsync(schema, stop.Token));
    }

    /// <summary>A DDL on a shard of a source, a moment after the previous one (the workload writes in between).</summary>
    private async Task AlterAsync(int source, string schema, string shard, string change)
    {
        await Task.Delay(300);
        await Upstream(source).ExecuteAsync($"ALTER TABLE `{schema}`.`{shard}` {change}");
    }

    /// <summary>Stops the workload, then waits for the union and for the locks to go.</summary>
    private async Task EndAsync(string task, string schema, string target, CancellationTokenSource stop, Task<int> workload)
    {
        await Task.Delay(500);
        await stop.CancelAsync();
        Assert.True(await workload > 10);
        stop.Dispose();
        await WaitForUnionAsync(task, schema, target);
        await NoLockLeftAsync(task);
    }

    [Fact]
    public async Task Add_and_drop_column_on_every_shard_in_different_orders_per_source_under_a_workload_converge_to_the_union()
    {
        const string schema = "pess_a", target = "pess_a_t", task = "pess-a";
        var (stop, workload) = await BeginAsync(task, schema, target);

        // Source 1 in shard order, source 2 the other way round; each shard writes on while it waits.
        const string add = "ADD COLUMN c2 INT DEFAULT 7";
        await AlterAsync(1, schema, "t1", add);
        await AlterAsync(2, schema, "t2", add);
        await AlterAsync(1, schema, "t2", add);
        // Three shards of four have it: the lock waits on source 2's t1, and the target does not have the column yet.
        var open = await WaitForLockAsync(task, l => l["synced"]!.AsArray().Count == 1);
        Assert.Equal($"{task}-`{target}`.`merged`", open["id"]!.GetValue<string>());
        Assert.Equal(TwoSourceCluster.Source1, open["owner"]!.GetValue<string>());
        Assert.Contains("waiting for source mysql-02", open["reason"]!.GetValue<string>());
        Assert.DoesNotContain("c2", await ColumnsAsync(cluster.Target, target, "merged"));
        // query-status: source 1 waits on the lock; source 2's group is met by t2 only.
        await MigrationEnvironment.WaitForAsync(async () =>
        {
            var statuses = await cluster.StatusesAsync(task);
            var s2 = statuses[TwoSourceCluster.Source2]["sync_status"]!["unresolved_groups"]!.AsArray();
            return statuses[TwoSourceCluster.Source1]["unresolved_ddl_lock_id"]?.GetValue<string>() == open["id"]!.GetValue<string>()
                   && statuses[TwoSourceCluster.Source1]["sync_status"]!["blocking_ddls"]!.AsArray().Count == 1
                   && s2.Count == 1 && s2[0]!["unsynced"]!.AsArray().Single()!.GetValue<string>() == $"`{schema}`.`t1`";
        }, "query-status showing the lock and the groups", TimeSpan.FromSeconds(20));
        // DM's sharding meta on the target: a global row per source's group, a row per member.
        Assert.Equal(2L, Convert.ToInt64(await cluster.Target.ScalarAsync($"SELECT COUNT(*) FROM dm_meta.`{task}_syncer_sharding_meta` WHERE is_global = 1")));
        Assert.Equal(4L, Convert.ToInt64(await cluster.Target.ScalarAsync($"SELECT COUNT(*) FROM dm_meta.`{task}_syncer_sharding_meta` WHERE is_global = 0")));
        await AlterAsync(2, schema, "t1", add);

        // Then a DROP COLUMN, with two DDLs queued in one shard before the others catch up (ADD INDEX after it on source 1's t1).
        await AlterAsync(1, schema, "t1", "DROP COLUMN note");
        await AlterAsync(1, schema, "t1", "ADD INDEX k_v (v)");
        await AlterAsync(2, schema, "t2", "DROP COLUMN note");
        await AlterAsync(2, schema, "t1", "DROP COLUMN note");
        await AlterAsync(1, schema, "t2", "DROP COLUMN note");
        await AlterAsync(1, schema, "t2", "ADD INDEX k_v (v)");
        await AlterAsync(2, schema, "t1", "ADD INDEX k_v (v)");
        await AlterAsync(2, schema, "t2", "ADD INDEX k_v (v)");
        await EndAsync(task, schema, target, stop, workload);
        Assert.Equal(1L, Convert.ToInt64(await cluster.Target.ScalarAsync(
            $"SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '{target}' AND TABLE_NAME = 'merged' AND INDEX_NAME = 'k_v'")));
        Assert.Equal(0L, Convert.ToInt64(await cluster.Target.ScalarAsync($"SELECT COUNT(*) FROM dm_meta.`{task}_syncer_sharding_meta` WHERE source_table_id NOT LIKE '#%'")));
        await cluster.Env.StopTaskAsync(task);
    }

    [Fact]
    public async Task A_different_DDL_on_one_source_pauses_its_subtask_with_DMs_error()
    {
        const string schema = "pess_c", target = "pess_c_t", task = "pess-c";
        await SeedAsync(schema);
        await CreateAndStartAsync(task, schema, target);
        await cluster.Upstream1.ExecuteAsync($"ALTER TABLE `{schema}`.t1 ADD COLUMN c3 INT; ALTER TABLE `{schema}`.t2 ADD COLUMN c3 INT");
        await WaitForLockAsync(task, l => l["synced"]!.AsArray().Count == 1);
        await cluster.Upstream2.ExecuteAsync($"ALTER TABLE `{schema}`.t1 ADD COLUMN c3 BIGINT; ALTER TABLE `{schema}`.t2 ADD COLUMN c3 BIGINT");
        await MigrationEnvironment.WaitForAsync(async () =>
        {
            var status = (await cluster.StatusesAsync(task))[TwoSourceCluster.Source2];
            return status["stage"]!.GetValue<string>() == "Paused" && status["error_msg"]!.GetValue<string>().Contains("38016");
        }, "source 2 paused with 38016", Timeout);
        await cluster.Env.StopTaskAsync(task);
    }

    [Fact]
    public async Task A_worker_killed_while_its_lock_is_pending_resumes_it_after_restart_and_no_row_is_lost()
    {
        const string schema = "pess_b", target = "pess_b_t", task = "pess-b";
        var (stop, workload) = await BeginAsync(task, schema, target);
        const string add = "ADD COLUMN c2 INT DEFAULT 7";
        await AlterAsync(1, schema, "t1", add);
        await AlterAsync(1, schema, "t2", add);
        await AlterAsync(2, schema, "t2", add);
        // Source 1 owns the lock and waits for source 2's t1; its shards' rows are held. kill -9 of its worker now.
        await WaitForLockAsync(task, l => l["synced"]!.AsArray().Count == 1);
        await Task.Delay(500);
        var worker = cluster.WorkerOf(TwoSourceCluster.Source1);
        worker.Kill();
        await Task.Delay(500);
        await worker.RestartAsync();
        await Task.Delay(1000);
        await AlterAsync(2, schema, "t1", add);
        await EndAsync(task, schema, target, stop, workload);
        await cluster.Env.StopTaskAsync(task);
    }

    [Fact]
    public async Task A_dropped_shard_leaves_its_group_and_a_lock_that_never_completes_is_shown_with_its_reason_and_unlocked_by_dmctl()
    {
        const string schema = "pess_d", target = "pess_d_t", task = "pess-d";
        await SeedAsync(schema);
        await CreateAndStartAsync(task, schema, target);

        // Source 2's t2 is dropped while its group waits on it: source 2's t1 alone then completes the group.
        await AlterAsync(1, schema, "t1", "ADD COLUMN c4 INT DEFAULT 3");
        await AlterAsync(1, schema, "t2", "ADD COLUMN c4 INT DEFAULT 3");
        await AlterAsync(2, schema, "t1", "ADD COLUMN c4 INT DEFAULT 3");
        await WaitForLockAsync(task, l => l["synced"]!.AsArray().Count == 1);
        await cluster.Upstream2.ExecuteAsync($"DROP TABLE `{schema}`.t2");
        await NoLockLeftAsync(task);
        await MigrationEnvironment.WaitForAsync(async () => (await ColumnsAsync(cluster.Target, target, "merged")).Contains("c4"), "c4 on the target", Timeout);

        // Source 2 never reaches this DDL: the lock says so and names the command; one dmctl command resolves it.
        await AlterAsync(1, schema, "t1", "ADD COLUMN c5 INT DEFAULT 5");
        await AlterAsync(1, schema, "t2", "ADD COLUMN c5 INT DEFAULT 5");
        var open = await WaitForLockAsync(task, l => l["ddls"]!.AsArray().Single()!.GetValue<string>().Contains("c5"));
        var id = open["id"]!.GetValue<string>();
        var shown = (await DmctlRun.RunAsync(cluster.Master, "shard-ddl-lock", task)).Ok();
        var listed = shown["locks"]!.AsArray().Single()!;
        Assert.Equal(id, listed["ID"]!.GetValue<string>());
        Assert.Equal(TwoSourceCluster.Source2, listed["unsynced"]!.AsArray().Single()!.GetValue<string>());
        Assert.Contains($"shard-ddl-lock unlock {id}", listed["reason"]!.GetValue<string>());
        Assert.Equal(id, (await DmctlRun.RunAsync(cluster.Master, "show-ddl-locks", task)).Ok()["locks"]!.AsArray().Single()!["ID"]!.GetValue<string>());
        (await DmctlRun.RunAsync(cluster.Master, "shard-ddl-lock", "unlock", id, "--action", "exec")).Ok();
        await NoLockLeftAsync(task);
        await MigrationEnvironment.WaitForAsync(async () => (await ColumnsAsync(cluster.Target, target, "merged")).Contains("c5"), "c5 on the target", Timeout);

        // Source 1 goes on with the new column; the target holds every row of every shard (source 2's t2 as it was when dropped).
        await cluster.Upstream1.ExecuteAsync($"INSERT INTO `{schema}`.t1 (id, v, c5) VALUES (1, 1, 55)");
        await cluster.Upstream2.ExecuteAsync($"INSERT INTO `{schema}`.t1 (id, v) VALUES (2, 2)");
        await MigrationEnvironment.WaitForAsync(async () => Convert.ToInt64(await cluster.Target.ScalarAsync(
            $"SELECT COUNT(*) FROM `{target}`.merged")) == 4 * 300 + 2, "every row on the target", Timeout);
        Assert.Equal(55L, Convert.ToInt64(await cluster.Target.ScalarAsync($"SELECT c5 FROM `{target}`.merged WHERE id = 1")));
        await cluster.Env.StopTaskAsync(task);
    }
}
