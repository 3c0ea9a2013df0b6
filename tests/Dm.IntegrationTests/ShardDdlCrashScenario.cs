using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dm.TestKit;
using Dm.TestKit.DataComparison;
using MySqlConnector;
using Xunit.Abstractions;

namespace Dm.IntegrationTests;

/// <summary>
/// What <see cref="ShardDdlCrashTests"/> (one master on its local store) and <see cref="ShardDdlLeaderCrashTests"/> (three
/// masters on etcd) run: two sources with two shards each merged into one target table, a workload writing every shard
/// throughout, and an <c>ADD COLUMN</c> (which fails when repeated) reaching the shards. At a stage of the lock — created
/// (the owner source synced, the other not), partly synced (one shard of the second source reached the DDL), the owner
/// executing (its ALTER waits on a metadata lock another target session holds, as the target's processlist shows), done
/// (the owner executed, the other source, stalled by SIGSTOP, not yet skipped) — the worker of the source concerned or the
/// master is killed with SIGKILL and started again. The lock then completes: the target holds the union of the shards
/// (checksums) and their structure, the target's binlog shows the ALTER applied once, the subtasks run without an error,
/// and the lock and the sharding meta rows are gone.
/// </summary>
public abstract class ShardDdlCrashScenario(TwoSourceCluster cluster, ITestOutputHelper output)
{
    protected TwoSourceCluster Cluster => cluster;

    protected ITestOutputHelper Output => output;

    public enum Stage { Created, PartlySynced, OwnerExecuting, Done }

    public enum Victim { Worker, Master }

    protected static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A target table merging the shards <c>{Prefix}1</c> and <c>{Prefix}2</c> of both sources, and the DDL they meet: an
    /// ADD COLUMN of <see cref="Column"/> (a second run of it on the target fails).
    /// </summary>
    protected sealed record Merge(string Table, string Prefix, string Column)
    {
        public string Ddl => $"ADD COLUMN {Column} INT DEFAULT 7";

        public (int Source, string Shard)[] Shards => [(1, Prefix + "1"), (1, Prefix + "2"), (2, Prefix + "1"), (2, Prefix + "2")];

        /// <summary>Shard <c>{Prefix}N</c> of source <c>s</c> holds ids from <c>(s * 2 + N) * 1_000_000</c>.</summary>
        public static long IdBase(int source, string shard) => (source * 2 + (shard.EndsWith('1') ? 1 : 2)) * 1_000_000L;
    }

    protected static readonly Merge Main = new("merged", "t", "c2");

    /// <summary>One task's tables: its upstream schema (on both sources), its target schema, its merges, and where its target binlog began.</summary>
    protected sealed record Case(string Task, string Schema, string Target, IReadOnlyList<Merge> Merges, string BinlogFile, long BinlogPosition);

    protected static readonly (int Source, string Shard)[] AllShards = Main.Shards;

    protected MariaDbServer UpstreamOf(int source) => source == 1 ? cluster.Upstream1 : cluster.Upstream2;

    /// <summary>The DDL reaches the shards up to <paramref name="stage"/>; <paramref name="victim"/> is killed there and started again; the rest follows.</summary>
    protected async Task RunStageAsync(Stage stage, Victim victim)
    {
        var clock = Stopwatch.StartNew();
        var c = await BeginAsync($"crash-{(int)stage}{(victim == Victim.Worker ? "w" : "m")}");
        using var stop = new CancellationTokenSource();
        var workload = WorkloadAsync(c, stop.Token);
        MySqlConnection? metadataLock = null;
        try
        {
            switch (stage)
            {
                case Stage.Created:
                    // Source 1 (the owner) reached the DDL on both shards; source 2 on none.
                    await AlterAsync(c, (1, "t1"), (1, "t2"));
                    await WaitForLockAsync(c, l => Names(l["synced"]).SequenceEqual([TwoSourceCluster.Source1]));
                    await CrashAsync(victim, TwoSourceCluster.Source1);
                    await AlterAsync(c, (2, "t1"), (2, "t2"));
                    break;
                case Stage.PartlySynced:
                    // Source 2 has one shard at the DDL, the other not yet: its group is met by t1 only.
                    await AlterAsync(c, (1, "t1"), (1, "t2"), (2, "t1"));
                    await WaitForLockAsync(c, l => Names(l["synced"]).SequenceEqual([TwoSourceCluster.Source1]));
                    await MigrationEnvironment.WaitForAsync(async () =>
                        (await cluster.StatusesAsync(c.Task))[TwoSourceCluster.Source2]["sync_status"]?["unresolved_groups"] is JsonArray { Count: 1 } groups
                        && Names(groups[0]!["synced"]).SequenceEqual([$"`{c.Schema}`.`t1`"]),
                        "source 2's group partly synced", Timeout);
                    await CrashAsync(victim, TwoSourceCluster.Source2);
                    await AlterAsync(c, (2, "t2"));
                    break;
                case Stage.OwnerExecuting:
                    // Every shard reached the DDL; the owner's ALTER waits on the target for a metadata lock another session holds.
                    metadataLock = await HoldMetadataLockAsync(c);
                    await AlterAsync(c, AllShards);
                    await WaitForAlterWaitingAsync(c);
                    await WaitForLockAsync(c, l => l["unsynced"]!.AsArray().Count == 0 && l["done"]!.AsArray().Count == 0);
                    await CrashAsync(victim, TwoSourceCluster.Source1, beforeRestart: async () =>
                    {
                        output.WriteLine($"after the kill: {await AltersWaitingAsync(c)} ALTER waiting on the target's metadata lock");
                        await ReleaseAsync(metadataLock);
                        metadataLock = null;
                    });
                    break;
                case Stage.Done:
                    // The owner executed (and reported it); source 2, stalled (SIGSTOP) since it reached the DDL, has not skipped it yet.
                    metadataLock = await HoldMetadataLockAsync(c);
                    await AlterAsync(c, AllShards);
                    await WaitForAlterWaitingAsync(c);
                    await WaitForLockAsync(c, l => l["unsynced"]!.AsArray().Count == 0);
                    var second = cluster.WorkerOf(TwoSourceCluster.Source2);
                    second.Freeze();
                    await ReleaseAsync(metadataLock);
                    metadataLock = null;
                    var done = await WaitForLockAsync(c, l => Names(l["done"]).SequenceEqual([TwoSourceCluster.Source1]));
                    Assert.Contains("waiting for the other sources to skip them", done["reason"]!.GetValue<string>());
                    // A stopped worker dies at once on SIGKILL; a master killed meanwhile finds it thawed when it comes back.
                    await CrashAsync(victim, TwoSourceCluster.Source2, beforeRestart: victim == Victim.Master ? () => { second.Thaw(); return Task.CompletedTask; } : null);
                    break;
            }
            await Task.Delay(500);
            await stop.CancelAsync();
            Assert.True(await workload > 10);
            await AssertConvergedAsync(c);
            output.WriteLine($"{stage}, kill -9 of the {victim.ToString().ToLowerInvariant()}: converged in {clock.Elapsed.TotalSeconds:F1} s, " +
                             $"{await TargetRowsAsync(c)} rows on the target");
        }
        finally
        {
            if (metadataLock != null) await ReleaseAsync(metadataLock);
            await stop.CancelAsync();
            await workload.ContinueWith(_ => { }, TaskScheduler.Default);
            await EnsureRunningAsync();
            await cluster.Env.StopTaskAsync(c.Task);
        }
    }

    /// <summary>The workload stops a moment later; the target converges (<see cref="AssertConvergedAsync(Case)"/>); the task is stopped.</summary>
    protected async Task FinishAsync(Case c, CancellationTokenSource stop, Task<int> workload, Stopwatch clock, string what)
    {
        await Task.Delay(500);
        await stop.CancelAsync();
        Assert.True(await workload > 10);
        await AssertConvergedAsync(c);
        output.WriteLine($"{what}: converged in {clock.Elapsed.TotalSeconds:F1} s, {await TargetRowsAsync(c)} rows on the target");
        await cluster.Env.StopTaskAsync(c.Task);
    }

    // ---- the crash ----

    /// <summary>
    /// kill -9 of the worker of <paramref name="source"/> or of the master, then (after <paramref name="beforeRestart"/>) the
    /// same process started again: the worker with its data dir, the master on its port and data dir.
    /// </summary>
    protected async Task CrashAsync(Victim victim, string source, Func<Task>? beforeRestart = null)
    {
        if (victim == Victim.Worker)
        {
            var worker = cluster.WorkerOf(source);
            worker.Kill();
            await Task.Delay(300);
            if (beforeRestart != null) await beforeRestart();
            await worker.RestartAsync();
        }
        else await CrashMasterAsync(beforeRestart);
    }

    /// <summary>kill -9 of the master, started again on its port and data dir.</summary>
    protected virtual async Task CrashMasterAsync(Func<Task>? beforeRestart)
    {
        cluster.Master.Kill();
        await Task.Delay(300);
        if (beforeRestart != null) await beforeRestart();
        await cluster.Master.RestartAsync();
    }

    /// <summary>After a failed case: every process of the fixture runs again, so the next case starts whole.</summary>
    protected virtual async Task EnsureRunningAsync()
    {
        if (!cluster.Master.IsRunning) await cluster.Master.RestartAsync();
        foreach (var worker in new[] { cluster.Worker1, cluster.Worker2 })
        {
            try { worker.Thaw(); } catch (InvalidOperationException) { }
            if (!worker.IsRunning) await worker.RestartAsync();
        }
    }

    // ---- the case's tables, task and workload ----

    protected async Task<Case> BeginAsync(string task, params Merge[] merges)
    {
        var schema = task.Replace('-', '_');
        if (merges.Length == 0) merges = [Main];
        foreach (var (source, shard) in merges.SelectMany(m => m.Shards))
            await UpstreamOf(source).ExecuteAsync($"""
                CREATE DATABASE IF NOT EXISTS `{schema}`;
                CREATE TABLE `{schema}`.`{shard}` (id BIGINT PRIMARY KEY, v INT NOT NULL, note VARCHAR(50));
                INSERT INTO `{schema}`.`{shard}` SELECT {Merge.IdBase(source, shard)} + seq, seq, CONCAT('seed ', seq) FROM `{schema}`.seq_1_to_300;
                """);
        string file;
        long position;
        await using (var target = await cluster.Target.OpenAsync())
        await using (var command = new MySqlCommand("SHOW MASTER STATUS", target))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync(), "the target writes no binlog");
            (file, position) = (reader.GetString(0), Convert.ToInt64(reader.GetValue(1)));
        }
        var c = new Case(task, schema, schema + "_t", merges, file, position);
        var body = JsonSerializer.SerializeToNode(cluster.TaskBody(task, "all", [.. merges.SelectMany(m => new[]
        {
            TwoSourceCluster.Rule(TwoSourceCluster.Source1, schema, m.Prefix + "*", c.Target, m.Table),
            TwoSourceCluster.Rule(TwoSourceCluster.Source2, schema, m.Prefix + "*", c.Target, m.Table),
        })]))!;
        body["task"]!["shard_mode"] = "pessimistic";
        await cluster.Env.CreateTaskAsync(body);
        await cluster.Env.StartTaskAsync(task);
        await cluster.WaitForAllAsync(task, "Sync", TwoSourceCluster.InSync, Timeout);
        return c;
    }

    /// <summary>Inserts into and updates every shard until cancelled (each round on its own connection per source); returns the rounds.</summary>
    protected async Task<int> WorkloadAsync(Case c, CancellationToken stop)
    {
        await using var first = await cluster.Upstream1.OpenAsync();
        await using var second = await cluster.Upstream2.OpenAsync();
        var round = 0;
        while (!stop.IsCancellationRequested)
        {
            round++;
            foreach (var (source, shard) in c.Merges.SelectMany(m => m.Shards))
            {
                var id = Merge.IdBase(source, shard);
                await using var command = new MySqlCommand(
                    $"INSERT INTO `{c.Schema}`.`{shard}` (id, v, note) VALUES ({id + 500_000 + round}, {round}, 'round {round}'); " +
                    $"UPDATE `{c.Schema}`.`{shard}` SET v = v + {source} WHERE id = {id + 1 + round % 300}", source == 1 ? first : second);
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }
            try { await Task.Delay(20, stop); } catch (OperationCanceledException) { }
        }
        return round;
    }

    /// <summary>The DDL of the main merge on the given shards, one after the other with the workload writing in between.</summary>
    protected Task AlterAsync(Case c, params (int Source, string Shard)[] shards) => AlterAsync(c, Main, shards);

    protected async Task AlterAsync(Case c, Merge merge, params (int Source, string Shard)[] shards)
    {
        foreach (var (source, shard) in shards)
        {
            await Task.Delay(250);
            await UpstreamOf(source).ExecuteAsync($"ALTER TABLE `{c.Schema}`.`{shard}` {merge.Ddl}");
        }
    }

    // ---- the target's metadata lock ----

    /// <summary>A target session in a transaction that read the merged table: an ALTER of it waits until that session commits.</summary>
    protected async Task<MySqlConnection> HoldMetadataLockAsync(Case c)
    {
        var connection = await cluster.Target.OpenAsync();
        await using var command = new MySqlCommand($"START TRANSACTION; SELECT COUNT(*) FROM `{c.Target}`.merged", connection);
        await command.ExecuteScalarAsync();
        return connection;
    }

    protected static async Task ReleaseAsync(MySqlConnection connection)
    {
        await using (var command = new MySqlCommand("COMMIT", connection)) await command.ExecuteNonQueryAsync();
        await connection.DisposeAsync();
    }

    protected async Task<long> AltersWaitingAsync(Case c) => Convert.ToInt64(await cluster.Target.ScalarAsync(
        "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE = 'Waiting for table metadata lock' " +
        $"AND INFO LIKE 'ALTER TABLE `{c.Target}`.`merged`%'"));

    /// <summary>The owner's ALTER is in flight on the target, waiting on the metadata lock (the target's processlist shows it).</summary>
    protected async Task WaitForAlterWaitingAsync(Case c) =>
        await MigrationEnvironment.WaitForAsync(async () => await AltersWaitingAsync(c) == 1, "the owner's ALTER waiting on the metadata lock", Timeout);

    // ---- the lock, and the end state ----

    protected static IEnumerable<string> Names(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>());

    protected Task<JsonArray> LocksAsync(Case c) => ShardMerge.LocksAsync(cluster, c.Task);

    protected Task<JsonNode> WaitForLockAsync(Case c, Func<JsonNode, bool> state) => ShardMerge.WaitForLockAsync(cluster, c.Task, state);

    protected static Task<TableChecksum> ChecksumAsync(MariaDbServer server, string schema, string table) =>
        ShardMerge.ChecksumAsync(server, schema, table);

    protected async Task<TableChecksum> ExpectedAsync(Case c, Merge merge)
    {
        TableChecksum? sum = null;
        foreach (var (source, shard) in merge.Shards)
        {
            var part = await ChecksumAsync(UpstreamOf(source), c.Schema, shard);
            sum = sum is null ? part : sum + part;
        }
        return sum!;
    }

    protected async Task<long> TargetRowsAsync(Case c) =>
        Convert.ToInt64(await cluster.Target.ScalarAsync($"SELECT COUNT(*) FROM `{c.Target}`.`{Main.Table}`"));

    protected static Task<string> ColumnsAsync(MariaDbServer server, string schema, string table) => ShardMerge.ColumnsAsync(server, schema, table);

    /// <summary>The ALTER statements of a merged table the target applied since the case began (its binlog holds only those that succeeded).</summary>
    protected async Task<int> AltersAppliedAsync(Case c, Merge merge)
    {
        await using var connection = await cluster.Target.OpenAsync();
        var files = new List<string>();
        await using (var command = new MySqlCommand("SHOW BINARY LOGS", connection))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                if (string.CompareOrdinal(reader.GetString(0), c.BinlogFile) >= 0) files.Add(reader.GetString(0));
        var alters = 0;
        foreach (var file in files)
        {
            var from = file == c.BinlogFile ? c.BinlogPosition : 4;
            await using var command = new MySqlCommand($"SHOW BINLOG EVENTS IN '{file}' FROM {from}", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                if (reader.GetString(reader.GetOrdinal("Event_type")) == "Query"
                    && reader.GetString(reader.GetOrdinal("Info")).Contains($"ALTER TABLE `{c.Target}`.`{merge.Table}`", StringComparison.OrdinalIgnoreCase))
                    alters++;
        }
        return alters;
    }

    /// <summary>
    /// The target holds the union of the four shards and their structure, the column once, the ALTER applied once, both
    /// subtasks run in Sync without an error, and the lock is gone.
    /// </summary>
    protected async Task AssertConvergedAsync(Case c)
    {
        foreach (var merge in c.Merges) await AssertConvergedAsync(c, merge);
        await MigrationEnvironment.WaitForAsync(async () => (await LocksAsync(c)).Count == 0, "no shard DDL lock left", TimeSpan.FromSeconds(30));
        await cluster.WaitForAllAsync(c.Task, "in Sync", s => TwoSourceCluster.InSync(s) && s["error_msg"]?.GetValue<string>() is null or "", Timeout);
        Assert.Equal(0L, Convert.ToInt64(await cluster.Target.ScalarAsync($"SELECT COUNT(*) FROM dm_meta.`{c.Task}_syncer_sharding_meta` WHERE source_table_id NOT LIKE '#%'")));
    }

    protected async Task AssertConvergedAsync(Case c, Merge merge)
    {
        TableChecksum? expected = null, actual = null;
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            var paused = (await cluster.StatusesAsync(c.Task)).Values.FirstOrDefault(s => s["stage"]!.GetValue<string>() == "Paused");
            if (paused != null) Assert.Fail($"task {c.Task} paused: {paused.ToJsonString()}");
            expected = await ExpectedAsync(c, merge);
            try { actual = await ChecksumAsync(cluster.Target, c.Target, merge.Table); }
            catch (InvalidOperationException) { actual = null; }
            if (actual == expected) break;
            await Task.Delay(250);
        }
        Assert.True(actual == expected, $"{c.Target}.{merge.Table}: expected {expected}, target {actual}");
        var columns = await ColumnsAsync(cluster.Upstream1, c.Schema, merge.Shards[0].Shard);
        Assert.EndsWith($"{merge.Column} int(11) 7", columns);
        foreach (var (source, shard) in merge.Shards) Assert.Equal(columns, await ColumnsAsync(UpstreamOf(source), c.Schema, shard));
        Assert.Equal(columns, await ColumnsAsync(cluster.Target, c.Target, merge.Table));
        Assert.Equal(1, await AltersAppliedAsync(c, merge));
    }
}
