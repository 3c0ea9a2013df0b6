using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dm.TestKit;
using Dm.TestKit.DataComparison;
using Xunit.Abstractions;

namespace Dm.IntegrationTests;

/// <summary>
/// The sequences of DM's pessimistic shard DDL that users meet (issue #18's Must-show list), each with two sources of two
/// shards routed into one target table while a workload writes every shard: a type widened, a column renamed and an index
/// added, each through a lock; several DDLs queued in one shard while the others catch up, with that shard's rows written
/// meanwhile (held, then replayed once); every DDL on every shard in a random interleaving (seeded, the seed printed); a
/// shard table created and another dropped while a lock is open; a source removed from the task while a lock waits on it.
/// Each ends with the target compared with the shards, every column of every row, and their structure.
/// </summary>
public sealed class ShardDdlSequenceTests(TwoSourceCluster cluster, ITestOutputHelper output) : IClassFixture<TwoSourceCluster>
{
    private const string Source1 = TwoSourceCluster.Source1, Source2 = TwoSourceCluster.Source2;

    private string? _lastShown;

    private static string Name(string schema, string table) => $"`{schema}`.`{table}`";

    /// <summary>Scenario <paramref name="name"/>: task <c>seq-name</c> over shards t1 and t2 of <c>seq_name</c> into <c>seq_name_t</c>, in Sync, written to.</summary>
    private async Task<ShardMerge> BeginAsync(string name)
    {
        var m = new ShardMerge(cluster, $"seq-{name}", $"seq_{name}", $"seq_{name}_t");
        await m.StartAsync("t1", "t2");
        m.StartWorkload();
        return m;
    }

    /// <summary>The source's sharding group as query-status shows it (null when it meets no DDL).</summary>
    private async Task<JsonNode?> GroupOfAsync(string task, string source)
    {
        var status = (await cluster.StatusesAsync(task))[source];
        if (status["error_msg"]?.GetValue<string>() is { Length: > 0 }) Assert.Fail($"task {task} failed: {status.ToJsonString()}");
        var shown = $"{source}: {status["sync_status"]?["unresolved_groups"]?.ToJsonString()}";
        if (shown != _lastShown) output.WriteLine(_lastShown = shown);
        return status["sync_status"]?["unresolved_groups"]?.AsArray().FirstOrDefault();
    }

    /// <summary>Waits until the source's group meets a DDL with exactly these synced and unsynced shards; returns it.</summary>
    private async Task<JsonNode> WaitForGroupAsync(string task, string source, string schema, string[] synced, string[] unsynced)
    {
        JsonNode? group = null;
        await MigrationEnvironment.WaitForAsync(async () => (group = await GroupOfAsync(task, source)) is { } g
            && Strings(g["synced"]).SequenceEqual(synced.Select(t => Name(schema, t))) && Strings(g["unsynced"]).SequenceEqual(unsynced.Select(t => Name(schema, t))),
            $"{source}'s group with synced [{string.Join(", ", synced)}] and unsynced [{string.Join(", ", unsynced)}]", ShardMerge.Timeout);
        return group!;
    }

    private static List<string> Strings(JsonNode? array) => array?.AsArray().Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal).ToList() ?? [];

    [Fact]
    public async Task A_widened_type_a_renamed_column_and_an_index_queued_in_one_shard_go_through_one_lock_each_and_its_held_rows_arrive_once()
    {
        var m = await BeginAsync("a");
        string[] ddls =
        [
            "ADD COLUMN c2 INT DEFAULT 7",
            "ADD INDEX k_v (v)",
            "MODIFY COLUMN v BIGINT NOT NULL",
            "RENAME COLUMN note TO remark",
            "CHANGE COLUMN remark memo VARCHAR(80)",
        ];
        // Source 1's t1 runs all five before any other shard runs one: it is held at the first, the others queue behind it.
        foreach (var ddl in ddls) await m.AlterAsync(1, "t1", ddl);
        // Rows written to the held shard meanwhile, in its newest structure: kept by the worker, not in the target yet.
        var held = ShardMerge.Base(1, "t1") + 900_000;
        await m.Upstream(1).ExecuteAsync($"INSERT INTO `{m.Schema}`.t1 (id, v, memo) VALUES ({held}, 1, 'held'), ({held + 1}, 2, 'held')");
        var group = await WaitForGroupAsync(m.Task, Source1, m.Schema, ["t1"], ["t2"]);
        Assert.Contains("c2", Strings(group["ddl_list"]).Single());

        // Source 2 runs the sequence, t2 before t1, written another way (the same DDLs once routed and printed): it
        // completes the first DDL, creates the lock and owns it.
        string[] spelled =
        [
            "add c2 int default 7",
            "add key k_v(v)",
            "modify v bigint not null",
            "rename column note to remark",
            "change remark memo varchar(80)",
        ];
        foreach (var ddl in spelled)
        {
            await m.AlterAsync(2, "t2", ddl);
            await m.AlterAsync(2, "t1", ddl);
        }
        var open = await m.WaitForLockAsync(l => l["synced"]!.AsArray().Count == 1);
        Assert.Equal(m.LockId, open["id"]!.GetValue<string>());
        Assert.Equal(Source2, open["owner"]!.GetValue<string>());
        Assert.Contains("c2", open["ddls"]!.AsArray().Single()!.GetValue<string>());
        Assert.Equal([Source1], Strings(open["unsynced"]));
        Assert.DoesNotContain("c2", await ShardMerge.ColumnsAsync(cluster.Target, m.Target, "merged"));
        Assert.False(await m.TargetHasAsync(held), "a row of the held shard reached the target before its DDL lock resolved");

        // Source 1's t2 catches up: the five locks resolve in turn, the held rows are replayed once.
        foreach (var ddl in ddls) await m.AlterAsync(1, "t2", ddl);
        await m.StopAndConvergeAsync();
        Assert.True(await m.TargetHasAsync(held) && await m.TargetHasAsync(held + 1));
        var columns = await ShardMerge.ColumnsAsync(cluster.Target, m.Target, "merged");
        Assert.Contains("v bigint(20)", columns);
        Assert.Contains("memo varchar(80)", columns);
        Assert.DoesNotContain("note", columns);
        Assert.Contains("k_v", await ShardMerge.IndexesAsync(cluster.Target, m.Target, "merged"));
        Assert.Equal(0L, Convert.ToInt64(await cluster.Target.ScalarAsync($"SELECT COUNT(*) FROM dm_meta.`{m.Task}_syncer_sharding_meta` WHERE source_table_id NOT LIKE '#%'")));
        await cluster.Env.StopTaskAsync(m.Task);
    }

    [Fact]
    public async Task Every_DDL_on_every_shard_in_a_random_interleaving_converges_to_the_union()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("DM_SHARD_DDL_SEED"), out var given) ? given : Random.Shared.Next();
        output.WriteLine($"shard DDL interleaving seed: {seed} (run again with DM_SHARD_DDL_SEED={seed})");
        var random = new Random(seed);
        var m = await BeginAsync("b");
        string[] ddls =
        [
            "ADD COLUMN c2 INT DEFAULT 7",
            "MODIFY COLUMN v BIGINT NOT NULL",
            "ADD INDEX k_v (v)",
            "CHANGE COLUMN note remark VARCHAR(60)",
            "DROP COLUMN c2",
        ];
        // Each shard runs the same DDLs in the same order; which shard runs its next one is drawn at each step.
        var next = new Dictionary<(int Source, string Shard), int> { [(1, "t1")] = 0, [(1, "t2")] = 0, [(2, "t1")] = 0, [(2, "t2")] = 0 };
        var steps = new List<string>();
        while (next.Any(n => n.Value < ddls.Length))
        {
            var pending = next.Where(n => n.Value < ddls.Length).Select(n => n.Key).OrderBy(k => k).ToList();
            var (source, shard) = pending[random.Next(pending.Count)];
            steps.Add($"s{source}.{shard}#{next[(source, shard)]}");
            await m.AlterAsync(source, shard, ddls[next[(source, shard)]++], pauseMs: random.Next(20, 300));
        }
        output.WriteLine($"order: {string.Join(" ", steps)}");
        await Task.Delay(500);
        await m.StopWorkloadAsync();
        try
        {
            await m.WaitForUnionAsync();
            await m.NoLockLeftAsync();
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"seed {seed}, order {string.Join(" ", steps)}: {e.Message}");
        }
        Assert.Contains("k_v", await ShardMerge.IndexesAsync(cluster.Target, m.Target, "merged"));
        await cluster.Env.StopTaskAsync(m.Task);
    }

    [Fact]
    public async Task Shards_created_and_dropped_while_a_lock_is_open_join_and_leave_the_group_and_no_row_is_lost()
    {
        var m = await BeginAsync("c");
        const string add = "ADD COLUMN c3 INT DEFAULT 3";
        await m.AlterAsync(1, "t1", add);
        await m.AlterAsync(1, "t2", add);
        await m.AlterAsync(2, "t1", add);
        await m.WaitForLockAsync(l => l["synced"]!.AsArray().Count == 1);

        // A shard created on source 2 like one that has not run the DDL: it joins the group and must run the DDL too; its rows
        // go on to the target meanwhile (the target has its structure).
        await m.Upstream(2).ExecuteAsync($"CREATE TABLE `{m.Schema}`.t3 LIKE `{m.Schema}`.t2");
        await m.SeedShardAsync(2, "t3");
        // One created like a shard that ran it: it has reached the DDL already; its rows are held with the others'.
        await m.Upstream(2).ExecuteAsync($"CREATE TABLE `{m.Schema}`.t4 LIKE `{m.Schema}`.t1");
        await m.SeedShardAsync(2, "t4");
        // The held shard t1 is dropped while it waits: it leaves the group; what it held still reaches the target.
        await m.DropShardAsync(2, "t1");
        await WaitForGroupAsync(m.Task, Source2, m.Schema, ["t4"], ["t2", "t3"]);
        Assert.True(await m.TargetHasAsync(ShardMerge.Base(2, "t3") + 1), "the rows of a created shard that has not reached the DDL go on");
        Assert.False(await m.TargetHasAsync(ShardMerge.Base(2, "t4") + 1), "the rows of a created shard that reached the DDL are held");
        var open = (await m.LocksAsync()).Single()!;
        Assert.Equal([Source2], Strings(open["unsynced"]));

        // The task restarted (stop, start) with the lock open: both sources read the lock's window again, and the group
        // comes back as it was (t1 gone, t3 and t4 in it).
        await cluster.Env.StopTaskAsync(m.Task);
        await cluster.WaitForAllAsync(m.Task, "stopped", s => s["stage"]!.GetValue<string>() == "Paused", ShardMerge.Timeout);
        await cluster.Env.StartTaskAsync(m.Task);
        await WaitForGroupAsync(m.Task, Source2, m.Schema, ["t4"], ["t2", "t3"]);
        // And source 2's worker killed (kill -9) and started again: the same.
        var worker = cluster.WorkerOf(Source2);
        worker.Kill();
        await Task.Delay(500);
        await worker.RestartAsync();
        // (the new process reads the lock's window again: t4's rows held again, t3's applied again idempotently; the end
        // shows every row once)
        await WaitForGroupAsync(m.Task, Source2, m.Schema, ["t4"], ["t2", "t3"]);
        await Task.Delay(1000);
        Assert.False(await m.TargetHasAsync(ShardMerge.Base(2, "t4") + 1), "after the restart the rows of t4 are held again");

        await m.AlterAsync(2, "t2", add);
        await m.AlterAsync(2, "t3", add);
        await m.StopAndConvergeAsync();
        await cluster.Env.StopTaskAsync(m.Task);
    }

    [Fact]
    public async Task A_lock_waiting_on_a_source_removed_from_the_task_says_why_and_the_task_converges_without_it()
    {
        var m = await BeginAsync("d");
        const string add = "ADD COLUMN c4 INT DEFAULT 4";
        await m.AlterAsync(1, "t1", add);
        await m.AlterAsync(1, "t2", add);
        // Source 2 never runs the DDL: the lock says it waits for it and names the way out.
        var open = await m.WaitForLockAsync(l => l["synced"]!.AsArray().Count == 1);
        Assert.Contains($"waiting for source {Source2}", open["reason"]!.GetValue<string>());
        Assert.Contains($"shard-ddl-lock unlock {m.LockId}", open["reason"]!.GetValue<string>());

        // Source 2 leaves the task (its rows so far stay in the target): the task is stopped, updated without it, started.
        await m.QuiesceAsync(2, "t1");
        await m.QuiesceAsync(2, "t2");
        await cluster.Env.StopTaskAsync(m.Task);
        await cluster.WaitForAllAsync(m.Task, "stopped", s => s["stage"]!.GetValue<string>() == "Paused", ShardMerge.Timeout);
        var stopped = (await m.LocksAsync()).Single()!["reason"]!.GetValue<string>();
        Assert.Contains($"source {Source2} is stopped", stopped);
        var shown = (await DmctlRun.RunAsync(cluster.Master, "shard-ddl-lock", m.Task)).Ok()["locks"]!.AsArray().Single()!;
        Assert.Equal(stopped, shown["reason"]!.GetValue<string>());

        var body = JsonSerializer.SerializeToNode(cluster.TaskBody(m.Task, "all",
            [TwoSourceCluster.Rule(Source1, m.Schema, "t*", m.Target, "merged")], [new { source_name = Source1 }]))!;
        body["task"]!["shard_mode"] = "pessimistic";
        var update = await cluster.Master.Http.PutAsJsonAsync($"/api/v1/tasks/{m.Task}", body);
        Assert.True(update.IsSuccessStatusCode, await update.Content.ReadAsStringAsync());
        var left = await m.LocksAsync();
        if (left.Count > 0)
        {
            Assert.Empty(Strings(left[0]!["unsynced"]));
            Assert.DoesNotContain(Source2, left[0]!["reason"]!.GetValue<string>());
        }

        // Source 1 alone completes the lock and goes on.
        await cluster.Env.StartTaskAsync(m.Task);
        await m.NoLockLeftAsync();
        Assert.Equal([Source1], (await cluster.StatusesAsync(m.Task)).Keys.ToList());
        await Task.Delay(500);
        await m.StopWorkloadAsync();

        // Source 1's rows: every column; source 2's (ids from 20,000,000): the columns it has, as they were when it left.
        await using var target = await cluster.Target.OpenAsync();
        TableChecksum? expected1 = null, expected2 = null, actual1 = null;
        try
        {
            await MigrationEnvironment.WaitForAsync(async () =>
            {
                expected1 = await ShardMerge.ChecksumAsync(m.Upstream(1), m.Schema, "t1") + await ShardMerge.ChecksumAsync(m.Upstream(1), m.Schema, "t2");
                actual1 = await TableChecksum.ComputeAsync(target, m.Target, "merged", null, "id < 20000000");
                return expected1 == actual1;
            }, "source 1's rows in the target", ShardMerge.Timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"source 1's rows: expected {expected1}, target {actual1}");
        }
        string[] old = ["id", "v", "note"];
        foreach (var shard in new[] { "t1", "t2" })
        {
            await using var upstream = await m.Upstream(2).OpenAsync();
            var sum = await TableChecksum.ComputeAsync(upstream, m.Schema, shard, old, null);
            expected2 = expected2 is null ? sum : expected2 + sum;
        }
        Assert.Equal(expected2, await TableChecksum.ComputeAsync(target, m.Target, "merged", old, "id >= 20000000"));
        Assert.Equal(await ShardMerge.ColumnsAsync(m.Upstream(1), m.Schema, "t1"), await ShardMerge.ColumnsAsync(cluster.Target, m.Target, "merged"));
        await cluster.Env.StopTaskAsync(m.Task);
    }

    [Fact]
    public async Task Deleting_a_task_with_an_open_lock_by_dmctl_stop_task_deletes_the_lock()
    {
        var m = await BeginAsync("e");
        await m.AlterAsync(1, "t1", "ADD COLUMN c5 INT");
        await m.AlterAsync(1, "t2", "ADD COLUMN c5 INT");
        await m.WaitForLockAsync(l => l["synced"]!.AsArray().Count == 1);
        await m.StopWorkloadAsync();
        (await DmctlRun.RunAsync(cluster.Master, "stop-task", m.Task)).Ok();
        // A task created again under the name (its shards made alike for the pre-check) finds no lock of the old one.
        await m.AlterAsync(2, "t1", "ADD COLUMN c5 INT", pauseMs: 0);
        await m.AlterAsync(2, "t2", "ADD COLUMN c5 INT", pauseMs: 0);
        var body = JsonSerializer.SerializeToNode(cluster.TaskBody(m.Task, "all",
            [TwoSourceCluster.Rule(Source1, m.Schema, "t*", m.Target, "merged"), TwoSourceCluster.Rule(Source2, m.Schema, "t*", m.Target, "merged")]))!;
        body["task"]!["shard_mode"] = "pessimistic";
        await cluster.Env.CreateTaskAsync(body);
        Assert.Empty(await m.LocksAsync());
        Assert.Equal(204, (int)(await cluster.Master.Http.DeleteAsync($"/api/v1/tasks/{m.Task}")).StatusCode);
    }
}
