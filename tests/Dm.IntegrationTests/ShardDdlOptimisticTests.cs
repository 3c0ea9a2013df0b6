using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
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
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly ShardMergeData _data = new(cluster);

    private MariaDbServer Upstream(int source) => _data.Upstream(source);

    private async Task CreateAndStartAsync(string task, string schema, string targetSchema, bool strict = false)
    {
        var body = JsonSerializer.SerializeToNode(cluster.TaskBody(task, "all",
        [
            TwoSourceCluster.Rule(TwoSourceCluster.Source1, schema, "t*", targetSchema, "merged"),
            TwoSourceCluster.Rule(TwoSourceCluster.Source2, schema, "t*", targetSchema, "merged"),
        ]))!;
        body["task"]!["shard_mode"] = "optimistic";
        if (strict) body["task"]!["strict_optimistic_shard_mode"] = true;
        await cluster.Env.CreateTaskAsync(body);
        await cluster.Env.StartTaskAsync(task);
        await cluster.WaitForAllAsync(task, "Sync", TwoSourceCluster.InSync, Timeout);
    }

    private static Task<string> ColumnsAsync(MariaDbServer server, string schema, string table) => ShardMergeData.ColumnsAsync(server, schema, table);

    private async Task<JsonArray> LocksAsync(string task) =>
        (await cluster.Master.Http.GetFromJsonAsync<JsonObject>($"/api/v1/tasks/{task}/shard-ddl-locks"))!["data"]!.AsArray();

    /// <summary>Every shard has the joined structure and reported its operations done: the lock goes.</summary>
    private async Task NoLockLeftAsync(string task) => await MigrationEnvironment.WaitForAsync(async () => (await LocksAsync(task)).Count == 0,
        "no shard DDL lock left", TimeSpan.FromSeconds(30));

    private async Task<(CancellationTokenSource Stop, Task<int> Workload)> BeginAsync(string task, string schema, string target, bool strict = false)
    {
        await _data.SeedAsync(schema);
        await CreateAndStartAsync(task, schema, target, strict);
        var stop = new CancellationTokenSource();
        return (stop, _data.WorkloadAsync(schema, stop.Token));
    }

    private async Task AlterAsync(int source, string schema, string shard, string change, int pauseMs = 200)
    {
        await Task.Delay(pauseMs);
        await Upstream(source).ExecuteAsync($"ALTER TABLE `{schema}`.`{shard}` {change}");
    }

    private async Task EndAsync(string task, string schema, string target, CancellationTokenSource stop, Task<int> workload)
    {
        await Task.Delay(500);
        await stop.CancelAsync();
        Assert.True(await workload > 10);
        stop.Dispose();
        await _data.WaitForUnionAsync(task, schema, target, Timeout);
        await NoLockLeftAsync(task);
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
        var (stop, workload) = await BeginAsync(task, schema, target);

        // Each shard runs the four DDLs in order; which shard goes next is random.
        var next = ShardMergeData.AllShards.ToDictionary(s => s, _ => 0);
        var order = new List<string>();
        var dropped = 0;
        while (next.Values.Any(n => n < Ddls.Length))
        {
            var candidates = next.Where(kv => kv.Value < Ddls.Length).Select(kv => kv.Key).ToList();
            var shard = candidates[random.Next(candidates.Count)];
            var ddl = Ddls[next[shard]++];
            order.Add($"{ShardMergeData.SourceName(shard.Source)}.{shard.Shard}: {ddl}");
            await AlterAsync(shard.Source, schema, shard.Shard, ddl, pauseMs: random.Next(50, 400));
            if (ddl.StartsWith("DROP", StringComparison.Ordinal) && ++dropped == 1)
            {
                // One shard dropped the column, the others still write it: the target keeps it.
                await Task.Delay(1500);
                Assert.Contains("note", await ColumnsAsync(cluster.Target, target, "merged"));
                Assert.Contains(await LocksAsync(task), l => l!["mode"]!.GetValue<string>() == "optimistic");
            }
        }
        output.WriteLine("order: " + string.Join(" | ", order));
        await EndAsync(task, schema, target, stop, workload);
        Assert.Equal(1L, Convert.ToInt64(await cluster.Target.ScalarAsync(
            $"SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '{target}' AND TABLE_NAME = 'merged' AND INDEX_NAME = 'k_v'")));
        output.WriteLine($"converged in {clock.Elapsed.TotalSeconds:F1} s, {await cluster.Target.ScalarAsync($"SELECT COUNT(*) FROM `{target}`.merged")} rows");
        await cluster.Env.StopTaskAsync(task);
    }
}
