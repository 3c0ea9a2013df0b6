using System.Diagnostics;
using System.Text.Json.Nodes;
using Dm.TestKit;
using Xunit.Abstractions;

namespace Dm.IntegrationTests;

/// <summary>
/// DM's optimistic shard merge: two sources, each with two shards routed into one target table, a workload writing every
/// shard while DDLs arrive in a random order across the shards. Nothing waits: a DDL that widens the joined structure runs on
/// the target at once, one that narrows it once the last shard made it, the same DDL from the other shards is skipped. Each
/// test ends with the target compared with the union of the four shards, structure and rows.
/// </summary>
public sealed class ShardDdlOptimisticTests(TwoSourceCluster cluster, ITestOutputHelper output) : IClassFixture<TwoSourceCluster>
{
    private static readonly TimeSpan Timeout = ShardMerge.Timeout;

    private static Task<string> ColumnsAsync(MariaDbServer server, string schema, string table) => ShardMerge.ColumnsAsync(server, schema, table);

    private Task<JsonArray> LocksAsync(string task) => ShardMerge.LocksAsync(cluster, task);

    /// <summary>The four shards seeded and the optimistic task in Sync (DDLs 200 ms apart by default).</summary>
    private async Task<ShardMerge> StartAsync(string task, string schema, string target, bool strict = false)
    {
        var merge = new ShardMerge(cluster, task, schema, target) { PauseMs = 200 };
        await merge.StartAsync("optimistic", strict, "t1", "t2");
        return merge;
    }

    /// <summary>As <see cref="StartAsync"/>, and the workload writing every shard.</summary>
    private async Task<ShardMerge> BeginAsync(string task, string schema, string target, bool strict = false)
    {
        var merge = await StartAsync(task, schema, target, strict);
        merge.StartWorkload();
        return merge;
    }

    private static readonly string[] Ddls =
    [
        "ADD COLUMN c2 INT DEFAULT 7",
        "MODIFY COLUMN v BIGINT NOT NULL",
        "ADD INDEX k_v (v)",
        "DROP COLUMN note",
    ];

    [Fact]
    public async Task Add_modify_index_and_drop_in_random_order_across_shards_under_a_workload_converge_to_the_union()
    {
        const string schema = "opt_a", target = "opt_a_t", task = "opt-a";
        var seed = Environment.GetEnvironmentVariable("DM_OPTIMISTIC_SEED") is { } given ? int.Parse(given) : Random.Shared.Next();
        output.WriteLine($"seed {seed} (DM_OPTIMISTIC_SEED={seed} replays this order)");
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        var merge = await BeginAsync(task, schema, target);

        // Each shard runs the four DDLs in order; which shard goes next is random.
        var next = merge.Shards.ToDictionary(s => s, _ => 0);
        var order = new List<string>();
        var dropped = 0;
        while (next.Values.Any(n => n < Ddls.Length))
        {
            var candidates = next.Where(kv => kv.Value < Ddls.Length).Select(kv => kv.Key).ToList();
            var shard = candidates[random.Next(candidates.Count)];
            var ddl = Ddls[next[shard]++];
            order.Add($"{ShardMerge.SourceName(shard.Source)}.{shard.Shard}: {ddl}");
            await merge.AlterAsync(shard.Source, shard.Shard, ddl, pauseMs: random.Next(50, 400));
            if (ddl.StartsWith("DROP", StringComparison.Ordinal) && ++dropped == 1)
            {
                // One shard dropped the column, the others still write it: the target keeps it.
                await Task.Delay(1500);
                Assert.Contains("note", await ColumnsAsync(cluster.Target, target, "merged"));
                var shown = (await DmctlRun.RunAsync(cluster.Master, "shard-ddl-lock", task)).Ok()["locks"]!.AsArray().Single()!;
                Assert.Equal("optimistic", shown["mode"]!.GetValue<string>());
                Assert.Equal($"{task}-`{target}`.`merged`", shown["ID"]!.GetValue<string>());
                Assert.Contains("without it yet", shown["reason"]!.GetValue<string>());
            }
        }
        output.WriteLine("order: " + string.Join(" | ", order));
        await merge.StopAndConvergeAsync();
        Assert.Equal(1L, Convert.ToInt64(await cluster.Target.ScalarAsync(
            $"SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '{target}' AND TABLE_NAME = 'merged' AND INDEX_NAME = 'k_v'")));
        output.WriteLine($"converged in {clock.Elapsed.TotalSeconds:F1} s, {await cluster.Target.ScalarAsync($"SELECT COUNT(*) FROM `{target}`.merged")} rows");
        await cluster.Env.StopTaskAsync(task);
    }

    private async Task<JsonNode> WaitForPausedAsync(string task, string source, string code)
    {
        JsonNode? paused = null;
        await MigrationEnvironment.WaitForAsync(async () =>
        {
            var status = (await cluster.StatusesAsync(task))[source];
            paused = status;
            return status["stage"]!.GetValue<string>() == "Paused" && status["error_msg"]!.GetValue<string>().Contains(code);
        }, $"{source} paused with {code}", Timeout);
        return paused!;
    }

    [Fact]
    public async Task The_same_column_added_with_another_type_pauses_with_DMs_conflict_error_and_binlog_schema_update_and_binlog_skip_resolve_it()
    {
        const string schema = "opt_c", target = "opt_c_t", task = "opt-c";
        var clock = Stopwatch.StartNew();
        var merge = await BeginAsync(task, schema, target, strict: true);
        await merge.AlterAsync(1, "t1", "ADD COLUMN c9 INT");
        await MigrationEnvironment.WaitForAsync(async () => (await ColumnsAsync(cluster.Target, target, "merged")).Contains("c9 int"),
            "c9 INT on the target at once", Timeout);

        // Source 2 adds c9 as a string: the structures cannot be joined. Strict mode: source 2 stops at once with DM's 36062.
        await merge.AlterAsync(2, "t1", "ADD COLUMN c9 VARCHAR(20)");
        var paused = await WaitForPausedAsync(task, TwoSourceCluster.Source2, "36062");
        var error = paused["error_msg"]!.GetValue<string>();
        output.WriteLine($"source 2 paused after {clock.Elapsed.TotalSeconds:F1} s: {error}");
        Assert.Contains("schema conflict detected", error);
        Assert.Contains("c9", error);
        Assert.Equal("Running", (await cluster.StatusesAsync(task))[TwoSourceCluster.Source1]["stage"]!.GetValue<string>());
        var conflicted = Assert.Single(await LocksAsync(task))!;
        Assert.Equal("optimistic", conflicted["mode"]!.GetValue<string>());
        Assert.Contains("conflict", conflicted["reason"]!.GetValue<string>());
        Assert.Contains("c9 int", await ColumnsAsync(cluster.Target, target, "merged"));

        // As DM documents: the upstream shard is brought in line, the tracked structure set with binlog-schema update (synced to
        // the lock), the conflicting DDL skipped with binlog skip, and the task resumed.
        await merge.Upstream(2).ExecuteAsync($"ALTER TABLE `{schema}`.t1 MODIFY COLUMN c9 INT");
        var file = Path.Combine(Path.GetTempPath(), $"opt-c-{Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(file, "CREATE TABLE t1 (id BIGINT PRIMARY KEY, v INT NOT NULL, note VARCHAR(50), c9 INT)");
        try
        {
            (await DmctlRun.RunAsync(cluster.Master, "binlog-schema", "update", "-s", TwoSourceCluster.Source2, task, schema, "t1", file)).Ok();
        }
        finally { File.Delete(file); }
        Assert.DoesNotContain("conflict:", Assert.Single(await LocksAsync(task))!["reason"]!.GetValue<string>());
        (await DmctlRun.RunAsync(cluster.Master, "binlog", "skip", "-s", TwoSourceCluster.Source2, task)).Ok();
        (await DmctlRun.RunAsync(cluster.Master, "resume-task", task)).Ok();

        await merge.AlterAsync(1, "t2", "ADD COLUMN c9 INT");
        await merge.AlterAsync(2, "t2", "ADD COLUMN c9 INT");
        await merge.StopAndConvergeAsync();
        output.WriteLine($"converged in {clock.Elapsed.TotalSeconds:F1} s");
        await cluster.Env.StopTaskAsync(task);
    }

    [Fact]
    public async Task A_worker_and_the_master_killed_while_a_drop_column_is_done_on_some_shards_only_converge_after_restart()
    {
        const string schema = "opt_r", target = "opt_r_t", task = "opt-r";
        var clock = Stopwatch.StartNew();
        var merge = await BeginAsync(task, schema, target);
        await merge.AlterAsync(1, "t1", "ADD COLUMN c2 INT DEFAULT 7");
        await merge.AlterAsync(1, "t1", "DROP COLUMN note");
        await merge.AlterAsync(2, "t2", "ADD COLUMN c2 INT DEFAULT 7");
        await merge.AlterAsync(2, "t2", "DROP COLUMN note");
        await MigrationEnvironment.WaitForAsync(async () => (await ColumnsAsync(cluster.Target, target, "merged")).Contains("c2"), "c2 on the target", Timeout);
        await Task.Delay(1000);

        // kill -9 of source 1's worker with the DROP COLUMN done on two shards of four (the target keeps the column).
        var worker = cluster.WorkerOf(TwoSourceCluster.Source1);
        worker.Kill();
        await merge.AlterAsync(1, "t2", "ADD COLUMN c2 INT DEFAULT 7");
        await Task.Delay(500);
        await worker.RestartAsync();
        Assert.Contains("note", await ColumnsAsync(cluster.Target, target, "merged"));
        // Then kill -9 of the master: the lock (every shard's structure) is in the cluster state and comes back with it.
        await Task.Delay(1000);
        cluster.Master.Kill();
        await merge.AlterAsync(1, "t2", "DROP COLUMN note");
        await Task.Delay(500);
        await cluster.Master.RestartAsync();
        var kept = Assert.Single(await LocksAsync(task))!;
        Assert.Contains("mysql-02 `opt_r`.`t1`", kept["reason"]!.GetValue<string>());
        await merge.AlterAsync(2, "t1", "ADD COLUMN c2 INT DEFAULT 7");
        await Task.Delay(1000);
        Assert.Contains("note", await ColumnsAsync(cluster.Target, target, "merged"));
        await merge.AlterAsync(2, "t1", "DROP COLUMN note");
        await merge.StopAndConvergeAsync();
        output.WriteLine($"converged in {clock.Elapsed.TotalSeconds:F1} s");
        await cluster.Env.StopTaskAsync(task);
    }

    [Fact]
    public async Task Without_strict_mode_a_conflict_also_pauses_with_36062_saying_that_DMsharp_does_not_wait()
    {
        const string schema = "opt_n", target = "opt_n_t", task = "opt-n";
        var merge = await StartAsync(task, schema, target);
        await merge.AlterAsync(1, "t2", "ADD COLUMN c3 BIGINT");
        await MigrationEnvironment.WaitForAsync(async () => (await ColumnsAsync(cluster.Target, target, "merged")).Contains("c3 bigint"),
            "c3 BIGINT on the target", Timeout);
        await merge.AlterAsync(2, "t2", "ADD COLUMN c3 DATETIME");
        var error = (await WaitForPausedAsync(task, TwoSourceCluster.Source2, "36062"))["error_msg"]!.GetValue<string>();
        Assert.Contains("does not wait", error);
        Assert.DoesNotContain("strict optimistic shard mode:", error);
        await cluster.Env.StopTaskAsync(task);
    }
}
