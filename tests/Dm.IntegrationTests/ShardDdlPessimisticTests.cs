using System.Text.Json.Nodes;
using Dm.TestKit;

namespace Dm.IntegrationTests;

/// <summary>
/// DM's pessimistic shard merge: two sources, each with two shards routed into one target table, a workload writing every
/// shard while their DDLs arrive in a different order on each source. A shard that reached a DDL waits (its rows are held)
/// until every shard of both sources did; the DDL is applied to the target once; the held rows are replayed. Each test ends
/// with the target compared with the union of the four shards, structure and rows.
/// </summary>
public sealed class ShardDdlPessimisticTests(TwoSourceCluster cluster) : IClassFixture<TwoSourceCluster>
{
    private static readonly TimeSpan Timeout = ShardMerge.Timeout;

    private static Task<string> ColumnsAsync(MariaDbServer server, string schema, string table) => ShardMerge.ColumnsAsync(server, schema, table);

    /// <summary>The four shards seeded and the pessimistic task in Sync (DDLs 300 ms apart).</summary>
    private async Task<ShardMerge> StartAsync(string task, string schema, string target)
    {
        var merge = new ShardMerge(cluster, task, schema, target) { PauseMs = 300 };
        await merge.StartAsync("t1", "t2");
        return merge;
    }

    /// <summary>As <see cref="StartAsync"/>, and the workload writing every shard.</summary>
    private async Task<ShardMerge> BeginAsync(string task, string schema, string target)
    {
        var merge = await StartAsync(task, schema, target);
        merge.StartWorkload();
        return merge;
    }

    [Fact]
    public async Task Add_and_drop_column_on_every_shard_in_different_orders_per_source_under_a_workload_converge_to_the_union()
    {
        const string schema = "pess_a", target = "pess_a_t", task = "pess-a";
        var merge = await BeginAsync(task, schema, target);

        // Source 1 in shard order, source 2 the other way round; each shard writes on while it waits.
        const string add = "ADD COLUMN c2 INT DEFAULT 7";
        await merge.AlterAsync(1, "t1", add);
        await merge.AlterAsync(2, "t2", add);
        await merge.AlterAsync(1, "t2", add);
        // Three shards of four have it: the lock waits on source 2's t1, and the target does not have the column yet.
        var open = await merge.WaitForLockAsync(l => l["synced"]!.AsArray().Count == 1);
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
        await merge.AlterAsync(2, "t1", add);

        // Then a DROP COLUMN, with two DDLs queued in one shard before the others catch up (ADD INDEX after it on source 1's t1).
        await merge.AlterAsync(1, "t1", "DROP COLUMN note");
        await merge.AlterAsync(1, "t1", "ADD INDEX k_v (v)");
        await merge.AlterAsync(2, "t2", "DROP COLUMN note");
        await merge.AlterAsync(2, "t1", "DROP COLUMN note");
        await merge.AlterAsync(1, "t2", "DROP COLUMN note");
        await merge.AlterAsync(1, "t2", "ADD INDEX k_v (v)");
        await merge.AlterAsync(2, "t1", "ADD INDEX k_v (v)");
        await merge.AlterAsync(2, "t2", "ADD INDEX k_v (v)");
        await merge.StopAndConvergeAsync();
        Assert.Equal(1L, Convert.ToInt64(await cluster.Target.ScalarAsync(
            $"SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '{target}' AND TABLE_NAME = 'merged' AND INDEX_NAME = 'k_v'")));
        Assert.Equal(0L, Convert.ToInt64(await cluster.Target.ScalarAsync($"SELECT COUNT(*) FROM dm_meta.`{task}_syncer_sharding_meta` WHERE source_table_id NOT LIKE '#%'")));
        await cluster.Env.StopTaskAsync(task);
    }

    [Fact]
    public async Task A_different_DDL_on_one_source_pauses_its_subtask_with_DMs_error()
    {
        const string schema = "pess_c", target = "pess_c_t", task = "pess-c";
        var merge = await StartAsync(task, schema, target);
        await cluster.Upstream1.ExecuteAsync($"ALTER TABLE `{schema}`.t1 ADD COLUMN c3 INT; ALTER TABLE `{schema}`.t2 ADD COLUMN c3 INT");
        await merge.WaitForLockAsync(l => l["synced"]!.AsArray().Count == 1);
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
        var merge = await BeginAsync(task, schema, target);
        const string add = "ADD COLUMN c2 INT DEFAULT 7";
        await merge.AlterAsync(1, "t1", add);
        await merge.AlterAsync(1, "t2", add);
        await merge.AlterAsync(2, "t2", add);
        // Source 1 owns the lock and waits for source 2's t1; its shards' rows are held. kill -9 of its worker now.
        await merge.WaitForLockAsync(l => l["synced"]!.AsArray().Count == 1);
        await Task.Delay(500);
        var worker = cluster.WorkerOf(TwoSourceCluster.Source1);
        worker.Kill();
        await Task.Delay(500);
        await worker.RestartAsync();
        await Task.Delay(1000);
        await merge.AlterAsync(2, "t1", add);
        await merge.StopAndConvergeAsync();
        await cluster.Env.StopTaskAsync(task);
    }

    [Fact]
    public async Task A_dropped_shard_leaves_its_group_and_a_lock_that_never_completes_is_shown_with_its_reason_and_unlocked_by_dmctl()
    {
        const string schema = "pess_d", target = "pess_d_t", task = "pess-d";
        var merge = await StartAsync(task, schema, target);

        // Source 2's t2 is dropped while its group waits on it: source 2's t1 alone then completes the group.
        await merge.AlterAsync(1, "t1", "ADD COLUMN c4 INT DEFAULT 3");
        await merge.AlterAsync(1, "t2", "ADD COLUMN c4 INT DEFAULT 3");
        await merge.AlterAsync(2, "t1", "ADD COLUMN c4 INT DEFAULT 3");
        await merge.WaitForLockAsync(l => l["synced"]!.AsArray().Count == 1);
        await cluster.Upstream2.ExecuteAsync($"DROP TABLE `{schema}`.t2");
        await merge.NoLockLeftAsync();
        await MigrationEnvironment.WaitForAsync(async () => (await ColumnsAsync(cluster.Target, target, "merged")).Contains("c4"), "c4 on the target", Timeout);

        // Source 2 never reaches this DDL: the lock says so and names the command; one dmctl command resolves it.
        await merge.AlterAsync(1, "t1", "ADD COLUMN c5 INT DEFAULT 5");
        await merge.AlterAsync(1, "t2", "ADD COLUMN c5 INT DEFAULT 5");
        var open = await merge.WaitForLockAsync(l => l["ddls"]!.AsArray().Single()!.GetValue<string>().Contains("c5"));
        var id = open["id"]!.GetValue<string>();
        var shown = (await DmctlRun.RunAsync(cluster.Master, "shard-ddl-lock", task)).Ok();
        var listed = shown["locks"]!.AsArray().Single()!;
        Assert.Equal(id, listed["ID"]!.GetValue<string>());
        Assert.Equal(TwoSourceCluster.Source2, listed["unsynced"]!.AsArray().Single()!.GetValue<string>());
        Assert.Contains($"shard-ddl-lock unlock {id}", listed["reason"]!.GetValue<string>());
        Assert.Equal(id, (await DmctlRun.RunAsync(cluster.Master, "show-ddl-locks", task)).Ok()["locks"]!.AsArray().Single()!["ID"]!.GetValue<string>());
        (await DmctlRun.RunAsync(cluster.Master, "shard-ddl-lock", "unlock", id, "--action", "exec")).Ok();
        await merge.NoLockLeftAsync();
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
