using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dm.TestKit;
using Dm.TestKit.DataComparison;
using MySqlConnector;

namespace Dm.IntegrationTests;

/// <summary>
/// One shard-merge scenario (pessimistic or optimistic) on a <see cref="TwoSourceCluster"/>: shards <c>t1</c>, <c>t2</c>, ...
/// of one schema on both sources routed into <c>target.merged</c>, a workload inserting into and updating every live shard,
/// the master's locks, and the final check: the target holds exactly the rows of the shards (checksum of every column against
/// the union of the upstream shards, plus the shards that were dropped, as they were), with the shards' structure.
/// </summary>
internal sealed class ShardMerge(TwoSourceCluster cluster, string task, string schema, string target)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<(int Source, string Shard), bool> _live = new();
    private readonly List<TableChecksum> _dropped = [];
    private int _rounds;
    private CancellationTokenSource? _stop;
    private Task? _workload;

    public string Task => task;
    public string Schema => schema;
    public string Target => target;
    public string LockId => $"{task}-`{target}`.`merged`";

    /// <summary>How long <see cref="AlterAsync"/> waits before its statement by default (the workload writes meanwhile).</summary>
    public int PauseMs { get; init; } = 250;

    /// <summary>Shard <c>tN</c> of source <c>s</c> holds ids from <c>(s * 10 + N) * 1_000_000</c>.</summary>
    public static long Base(int source, string shard) => (source * 10 + int.Parse(shard[1..])) * 1_000_000L;

    public MariaDbServer Upstream(int source) => source == 1 ? cluster.Upstream1 : cluster.Upstream2;

    public static string SourceName(int source) => source == 1 ? TwoSourceCluster.Source1 : TwoSourceCluster.Source2;

    public IEnumerable<(int Source, string Shard)> Shards => _live.Keys.OrderBy(k => k);

    /// <summary>Creates the shards on both sources (300 rows each), then the pessimistic task, and waits until both subtasks sync.</summary>
    public Task StartAsync(params string[] shards) => StartAsync("pessimistic", strict: false, shards);

    /// <summary>Creates the shards on both sources (300 rows each), then the task in the given shard mode, and waits until both subtasks sync.</summary>
    public async Task StartAsync(string shardMode, bool strict, params string[] shards)
    {
        await CreateShardsAsync(shards);
        await CreateAndStartTaskAsync(cluster, task, schema, target, shardMode, strict);
    }

    /// <summary>Creates the shards on both sources, 300 rows each (the workload then writes them too).</summary>
    public async Task CreateShardsAsync(params string[] shards)
    {
        foreach (var source in new[] { 1, 2 })
            foreach (var shard in shards)
            {
                await Upstream(source).ExecuteAsync($"""
                    CREATE DATABASE IF NOT EXISTS `{schema}`;
                    CREATE TABLE `{schema}`.`{shard}` (id BIGINT PRIMARY KEY, v INT NOT NULL, note VARCHAR(50));
                    """);
                await SeedShardAsync(source, shard);
            }
    }

    /// <summary>
    /// Creates the task merging <c>schema.t*</c> of both sources into <c>target.merged</c> in the given shard mode
    /// (<paramref name="strict"/>: strict optimistic), starts it, waits for Sync.
    /// </summary>
    public static async Task CreateAndStartTaskAsync(TwoSourceCluster cluster, string task, string schema, string target,
        string shardMode = "pessimistic", bool strict = false)
    {
        var body = JsonSerializer.SerializeToNode(cluster.TaskBody(task, "all",
        [
            TwoSourceCluster.Rule(TwoSourceCluster.Source1, schema, "t*", target, "merged"),
            TwoSourceCluster.Rule(TwoSourceCluster.Source2, schema, "t*", target, "merged"),
        ]))!;
        body["task"]!["shard_mode"] = shardMode;
        if (strict) body["task"]!["strict_optimistic_shard_mode"] = true;
        await cluster.Env.CreateTaskAsync(body);
        await cluster.Env.StartTaskAsync(task);
        await cluster.WaitForAllAsync(task, "Sync", TwoSourceCluster.InSync, Timeout);
    }

    /// <summary>300 rows into an existing shard, which the workload then writes too.</summary>
    public async Task SeedShardAsync(int source, string shard)
    {
        await Upstream(source).ExecuteAsync(
            $"INSERT INTO `{schema}`.`{shard}` (id, v, note) SELECT {Base(source, shard)} + seq, seq, CONCAT('seed ', seq) FROM `{schema}`.seq_1_to_300");
        _live[(source, shard)] = true;
    }

    /// <summary>Starts the workload: every live shard gets an insert and an update per round.</summary>
    public void StartWorkload()
    {
        _stop = new CancellationTokenSource();
        var stop = _stop.Token;
        _workload = System.Threading.Tasks.Task.Run(async () =>
        {
            await using var c1 = await cluster.Upstream1.OpenAsync();
            await using var c2 = await cluster.Upstream2.OpenAsync();
            for (var i = 1; !stop.IsCancellationRequested; i++)
            {
                foreach (var (source, shard) in _live.Keys.ToList())
                {
                    await using var command = new MySqlCommand(
                        $"INSERT INTO `{schema}`.`{shard}` (id, v) VALUES ({Base(source, shard) + 100_000 + i}, {i}); " +
                        $"UPDATE `{schema}`.`{shard}` SET v = v + 1 WHERE id = {Base(source, shard) + 1 + i % 300}", source == 1 ? c1 : c2);
                    await command.ExecuteNonQueryAsync(CancellationToken.None);
                }
                Interlocked.Increment(ref _rounds);
                try { await System.Threading.Tasks.Task.Delay(15, stop); } catch (OperationCanceledException) { }
            }
        });
    }

    /// <summary>The end of a scenario under the workload: half a second more of it, stopped, the union on the target, no lock left.</summary>
    public async Task StopAndConvergeAsync()
    {
        await System.Threading.Tasks.Task.Delay(500);
        await StopWorkloadAsync();
        await WaitForUnionAsync();
        await NoLockLeftAsync();
    }

    /// <summary>Stops the workload; asserts it ran.</summary>
    public async Task StopWorkloadAsync()
    {
        await _stop!.CancelAsync();
        await _workload!;
        _stop.Dispose();
        Assert.True(_rounds > 10, $"the workload ran {_rounds} rounds");
    }

    public int Rounds => Volatile.Read(ref _rounds);

    /// <summary>The workload leaves the shard alone from now on (it waits for a round that started after the removal).</summary>
    public async Task QuiesceAsync(int source, string shard)
    {
        _live.TryRemove((source, shard), out _);
        if (_workload is null) return;
        var from = Rounds;
        await MigrationEnvironment.WaitForAsync(() => System.Threading.Tasks.Task.FromResult(Rounds >= from + 2 || _workload.IsCompleted),
            "two workload rounds", TimeSpan.FromSeconds(20));
    }

    /// <summary>Drops a shard upstream; its rows, as they were, stay part of what the target must hold.</summary>
    public async Task DropShardAsync(int source, string shard)
    {
        await QuiesceAsync(source, shard);
        _dropped.Add(await ChecksumAsync(Upstream(source), schema, shard));
        await Upstream(source).ExecuteAsync($"DROP TABLE `{schema}`.`{shard}`");
    }

    /// <summary>A statement on a shard (ALTER TABLE's change), a moment after the previous one: the workload writes in between.</summary>
    public async Task AlterAsync(int source, string shard, string change, int? pauseMs = null)
    {
        await System.Threading.Tasks.Task.Delay(pauseMs ?? PauseMs);
        await Upstream(source).ExecuteAsync($"ALTER TABLE `{schema}`.`{shard}` {change}");
    }

    public static async Task<TableChecksum> ChecksumAsync(MariaDbServer server, string schema, string table)
    {
        await using var connection = await server.OpenAsync();
        return await TableChecksum.ComputeAsync(connection, schema, table);
    }

    /// <summary>The columns of a table with their types and defaults, in order.</summary>
    public static async Task<string> ColumnsAsync(MariaDbServer server, string schema, string table) =>
        (string)(await server.ScalarAsync(
            $"SELECT GROUP_CONCAT(CONCAT(COLUMN_NAME, ' ', COLUMN_TYPE, ' ', IFNULL(COLUMN_DEFAULT, '-')) ORDER BY ORDINAL_POSITION) " +
            $"FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '{schema}' AND TABLE_NAME = '{table}'"))!;

    public static async Task<string> IndexesAsync(MariaDbServer server, string schema, string table) =>
        (string)(await server.ScalarAsync(
            $"SELECT IFNULL(GROUP_CONCAT(DISTINCT INDEX_NAME ORDER BY INDEX_NAME), '') FROM information_schema.STATISTICS " +
            $"WHERE TABLE_SCHEMA = '{schema}' AND TABLE_NAME = '{table}'"))!;

    /// <summary>The master's open locks of the task.</summary>
    public Task<JsonArray> LocksAsync() => LocksAsync(cluster, task);

    public static async Task<JsonArray> LocksAsync(TwoSourceCluster cluster, string task) =>
        (await cluster.Master.Http.GetFromJsonAsync<JsonObject>($"/api/v1/tasks/{task}/shard-ddl-locks"))!["data"]!.AsArray();

    /// <summary>Waits until the master shows a lock of the task in the given state and returns it.</summary>
    public Task<JsonNode> WaitForLockAsync(Func<JsonNode, bool> state) => WaitForLockAsync(cluster, task, state);

    public static async Task<JsonNode> WaitForLockAsync(TwoSourceCluster cluster, string task, Func<JsonNode, bool> state)
    {
        JsonNode? found = null;
        await MigrationEnvironment.WaitForAsync(async () =>
        {
            found = (await LocksAsync(cluster, task)).FirstOrDefault(l => state(l!));
            return found != null;
        }, "the shard DDL lock", Timeout);
        return found!;
    }

    /// <summary>Every source reports its operation done with its next heartbeat after the checkpoint: the lock then goes.</summary>
    public Task NoLockLeftAsync() => NoLockLeftAsync(cluster, task);

    public static Task NoLockLeftAsync(TwoSourceCluster cluster, string task) =>
        MigrationEnvironment.WaitForAsync(async () => (await LocksAsync(cluster, task)).Count == 0, "no shard DDL lock left", TimeSpan.FromSeconds(30));

    /// <summary>Whether the target holds the row (a held shard's rows are not there until its lock resolves).</summary>
    public async Task<bool> TargetHasAsync(long id) =>
        Convert.ToInt64(await cluster.Target.ScalarAsync($"SELECT COUNT(*) FROM `{target}`.merged WHERE id = {id}")) == 1;

    /// <summary>
    /// Waits until the target holds the union of the shards (the live ones as they are upstream, the dropped ones as they were),
    /// with the same columns and indexes as every live shard; fails at once when a subtask fails.
    /// </summary>
    public async Task WaitForUnionAsync()
    {
        TableChecksum? expected = null, actual = null;
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            var failed = (await cluster.StatusesAsync(task)).Values.FirstOrDefault(s => s["error_msg"]?.GetValue<string>() is { Length: > 0 });
            if (failed != null) Assert.Fail($"task {task} failed: {failed.ToJsonString()}");
            expected = _dropped.Aggregate(new TableChecksum(0, 0, 0), (a, b) => a + b);
            foreach (var (source, shard) in Shards) expected += await ChecksumAsync(Upstream(source), schema, shard);
            try { actual = await ChecksumAsync(cluster.Target, target, "merged"); }
            catch (InvalidOperationException) { actual = null; }
            if (actual == expected) break;
            await System.Threading.Tasks.Task.Delay(250);
        }
        Assert.True(actual == expected, $"{target}.merged: expected {expected}, target {actual}");
        var (first, firstShard) = Shards.First();
        var columns = await ColumnsAsync(Upstream(first), schema, firstShard);
        var indexes = await IndexesAsync(Upstream(first), schema, firstShard);
        foreach (var (source, shard) in Shards)
        {
            Assert.Equal(columns, await ColumnsAsync(Upstream(source), schema, shard));
            Assert.Equal(indexes, await IndexesAsync(Upstream(source), schema, shard));
        }
        Assert.Equal(columns, await ColumnsAsync(cluster.Target, target, "merged"));
        Assert.Equal(indexes, await IndexesAsync(cluster.Target, target, "merged"));
    }
}
