using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dm.TestKit;
using Dm.TestKit.DataComparison;
using MySqlConnector;
using Xunit.Abstractions;

namespace Dm.IntegrationTests;

/// <summary>
/// A pessimistic shard-DDL lock survives <c>kill -9</c> at each stage of its life: two sources with two shards each merged
/// into one target table, a workload writing every shard throughout, and an <c>ADD COLUMN</c> (which fails when repeated)
/// reaching the shards. At each stage — the lock created (the owner source synced, the other not), partly synced (one shard
/// of the second source reached the DDL), the owner executing (its ALTER waits on a metadata lock another target
/// connection holds), done (the owner executed, the other source not yet skipped) — the worker of the source concerned or
/// the master (one master on its local store, restarted on the same data dir) is killed and started again. The lock then
/// completes: the target holds the union of the shards (checksums), the column once, the task runs without an error, the
/// target's binlog shows the ALTER applied once, and the lock is gone. A task stopped and started with a lock open does the same,
/// and so does a worker killed after one lock of its source resolved while another group still kept its checkpoint before it.
/// </summary>
public sealed class ShardDdlCrashTests(TwoSourceCluster cluster, ITestOutputHelper output) : IClassFixture<TwoSourceCluster>
{
    public enum Stage { Created, PartlySynced, OwnerExecuting, Done }

    public enum Victim { Worker, Master }

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A target table merging the shards <c>{Prefix}1</c> and <c>{Prefix}2</c> of both sources, and the DDL they meet: an
    /// ADD COLUMN of <see cref="Column"/> (a second run of it on the target fails).
    /// </summary>
    private sealed record Merge(string Table, string Prefix, string Column)
    {
        public string Ddl => $"ADD COLUMN {Column} INT DEFAULT 7";

        public (int Source, string Shard)[] Shards => [(1, Prefix + "1"), (1, Prefix + "2"), (2, Prefix + "1"), (2, Prefix + "2")];

        /// <summary>Shard <c>{Prefix}N</c> of source <c>s</c> holds ids from <c>(s * 2 + N) * 1_000_000</c>.</summary>
        public static long IdBase(int source, string shard) => (source * 2 + (shard.EndsWith('1') ? 1 : 2)) * 1_000_000L;
    }

    private static readonly Merge Main = new("merged", "t", "c2");

    /// <summary>One task's tables: its upstream schema (on both sources), its target schema, its merges, and where its target binlog began.</summary>
    private sealed record Case(string Task, string Schema, string Target, IReadOnlyList<Merge> Merges, string BinlogFile, long BinlogPosition);

    private static readonly (int Source, string Shard)[] AllShards = Main.Shards;

    private MariaDbServer UpstreamOf(int source) => source == 1 ? cluster.Upstream1 : cluster.Upstream2;

    [Theory]
    [InlineData(Stage.Created, Victim.Worker)]
    [InlineData(Stage.Created, Victim.Master)]
    [InlineData(Stage.PartlySynced, Victim.Worker)]
    [InlineData(Stage.PartlySynced, Victim.Master)]
    [InlineData(Stage.OwnerExecuting, Victim.Worker)]
    [InlineData(Stage.OwnerExecuting, Victim.Master)]
    [InlineData(Stage.Done, Victim.Worker)]
    [InlineData(Stage.Done, Victim.Master)]
    public async Task A_kill_9_at_each_stage_of_a_lock_leaves_it_to_complete_with_the_DDL_applied_once_and_no_row_lost(Stage stage, Victim victim)
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

    [Fact]
    public async Task A_task_stopped_and_started_with_a_lock_open_completes_the_lock_and_converges()
    {
        var clock = Stopwatch.StartNew();
        var c = await BeginAsync("crash-stop");
        using var stop = new CancellationTokenSource();
        var workload = WorkloadAsync(c, stop.Token);
        await AlterAsync(c, (1, "t1"), (1, "t2"), (2, "t1"));
        await WaitForLockAsync(c, l => Names(l["synced"]).SequenceEqual([TwoSourceCluster.Source1]));
        await cluster.Env.StopTaskAsync(c.Task);
        await cluster.WaitForAllAsync(c.Task, "stopped", s => s["stage"]!.GetValue<string>() is "Paused" or "Stopped", Timeout);
        // Stopping pauses the task: the lock stays, and the last shard reaches the DDL while the task is stopped.
        await WaitForLockAsync(c, l => Names(l["synced"]).SequenceEqual([TwoSourceCluster.Source1]));
        await Task.Delay(300);
        await AlterAsync(c, (2, "t2"));
        await Task.Delay(300);
        await cluster.Env.StartTaskAsync(c.Task);
        await cluster.WaitForAllAsync(c.Task, "running again", TwoSourceCluster.InSync, Timeout);
        await Task.Delay(500);
        await stop.CancelAsync();
        Assert.True(await workload > 10);
        await AssertConvergedAsync(c);
        output.WriteLine($"stop/start with the lock open: converged in {clock.Elapsed.TotalSeconds:F1} s, {await TargetRowsAsync(c)} rows on the target");
        await cluster.Env.StopTaskAsync(c.Task);
    }

    [Fact]
    public async Task A_worker_killed_after_one_lock_resolved_while_another_is_open_does_not_open_the_resolved_one_again()
    {
        var clock = Stopwatch.StartNew();
        var other = new Merge("other", "u", "c3");
        var c = await BeginAsync("crash-two", Main, other);
        using var stop = new CancellationTokenSource();
        var workload = WorkloadAsync(c, stop.Token);
        // Source 1's group of `merged` meets the DDL on t1 (its checkpoint stays before it until the group's lock is resolved);
        // the lock of `other` opens and resolves meanwhile.
        await AlterAsync(c, (1, "t1"));
        await MigrationEnvironment.WaitForAsync(async () =>
            (await cluster.StatusesAsync(c.Task))[TwoSourceCluster.Source1]["sync_status"]?["unresolved_groups"] is JsonArray { Count: 1 },
            "source 1's group of `merged` partly synced", Timeout);
        await AlterAsync(c, other, other.Shards);
        await MigrationEnvironment.WaitForAsync(async () => (await ColumnsAsync(cluster.Target, c.Target, other.Table)).Contains(other.Column)
            && (await LocksAsync(c)).Count == 0, "the lock of `other` resolved", Timeout);
        await Task.Delay(1500); // source 1 reported it done, and flushed its checkpoint (still pinned before `merged`'s lock)
        // Restarted, source 1 reads `other`'s DDL again: it must not open a lock that the other source, long past it, never joins.
        await CrashAsync(Victim.Worker, TwoSourceCluster.Source1);
        await Task.Delay(2000);
        await AlterAsync(c, (1, "t2"), (2, "t1"), (2, "t2"));
        await Task.Delay(500);
        await stop.CancelAsync();
        Assert.True(await workload > 10);
        await AssertConvergedAsync(c);
        output.WriteLine($"two locks, kill -9 after one resolved: converged in {clock.Elapsed.TotalSeconds:F1} s");
        await cluster.Env.StopTaskAsync(c.Task);
    }

    // ---- the crash ----

    /// <summary>
    /// kill -9 of the worker of <paramref name="source"/> or of the master, then (after <paramref name="beforeRestart"/>) the
    /// same process started again: the worker with its data dir, the master on its port and data dir.
    /// </summary>
    private async Task CrashAsync(Victim victim, string source, Func<Task>? beforeRestart = null)
    {
        if (victim == Victim.Worker)
        {
            var worker = cluster.WorkerOf(source);
            worker.Kill();
            await Task.Delay(300);
            if (beforeRestart != null) await beforeRestart();
            await worker.RestartAsync();
        }
        else
        {
            cluster.Master.Kill();
            await Task.Delay(300);
            if (beforeRestart != null) await beforeRestart();
            await cluster.Master.RestartAsync();
        }
    }

    /// <summary>After a failed case: every process of the fixture runs again, so the next case starts whole.</summary>
    private async Task EnsureRunningAsync()
    {
        if (!cluster.Master.IsRunning) await cluster.Master.RestartAsync();
        foreach (var worker in new[] { cluster.Worker1, cluster.Worker2 })
        {
            try { worker.Thaw(); } catch (InvalidOperationException) { }
            if (!worker.IsRunning) await worker.RestartAsync();
        }
    }

    // ---- the case's tables, task and workload ----

    private async Task<Case> BeginAsync(string task, params Merge[] merges)
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
    private async Task<int> WorkloadAsync(Case c, CancellationToken stop)
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
    private Task AlterAsync(Case c, params (int Source, string Shard)[] shards) => AlterAsync(c, Main, shards);

    private async Task AlterAsync(Case c, Merge merge, params (int Source, string Shard)[] shards)
    {
        foreach (var (source, shard) in shards)
        {
            await Task.Delay(250);
            await UpstreamOf(source).ExecuteAsync($"ALTER TABLE `{c.Schema}`.`{shard}` {merge.Ddl}");
        }
    }

    // ---- the target's metadata lock ----

    /// <summary>A target session in a transaction that read the merged table: an ALTER of it waits until that session commits.</summary>
    private async Task<MySqlConnection> HoldMetadataLockAsync(Case c)
    {
        var connection = await cluster.Target.OpenAsync();
        await using var command = new MySqlCommand($"START TRANSACTION; SELECT COUNT(*) FROM `{c.Target}`.merged", connection);
        await command.ExecuteScalarAsync();
        return connection;
    }

    private static async Task ReleaseAsync(MySqlConnection connection)
    {
        await using (var command = new MySqlCommand("COMMIT", connection)) await command.ExecuteNonQueryAsync();
        await connection.DisposeAsync();
    }

    private async Task<long> AltersWaitingAsync(Case c) => Convert.ToInt64(await cluster.Target.ScalarAsync(
        "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE = 'Waiting for table metadata lock' " +
        $"AND INFO LIKE 'ALTER TABLE `{c.Target}`.`merged`%'"));

    /// <summary>The owner's ALTER is in flight on the target, waiting on the metadata lock (the target's processlist shows it).</summary>
    private async Task WaitForAlterWaitingAsync(Case c) =>
        await MigrationEnvironment.WaitForAsync(async () => await AltersWaitingAsync(c) == 1, "the owner's ALTER waiting on the metadata lock", Timeout);

    // ---- the lock, and the end state ----

    private static IEnumerable<string> Names(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>());

    private async Task<JsonArray> LocksAsync(Case c) =>
        (await cluster.Master.Http.GetFromJsonAsync<JsonObject>($"/api/v1/tasks/{c.Task}/shard-ddl-locks"))!["data"]!.AsArray();

    private async Task<JsonNode> WaitForLockAsync(Case c, Func<JsonNode, bool> state)
    {
        JsonNode? found = null;
        await MigrationEnvironment.WaitForAsync(async () => (found = (await LocksAsync(c)).FirstOrDefault(l => state(l!))) != null,
            "the shard DDL lock in the expected state", Timeout);
        return found!;
    }

    private async Task<TableChecksum> ChecksumAsync(MariaDbServer server, string schema, string table)
    {
        await using var connection = await server.OpenAsync();
        return await TableChecksum.ComputeAsync(connection, schema, table);
    }

    private async Task<TableChecksum> ExpectedAsync(Case c, Merge merge)
    {
        TableChecksum? sum = null;
        foreach (var (source, shard) in merge.Shards)
        {
            var part = await ChecksumAsync(UpstreamOf(source), c.Schema, shard);
            sum = sum is null ? part : sum + part;
        }
        return sum!;
    }

    private async Task<long> TargetRowsAsync(Case c) =>
        Convert.ToInt64(await cluster.Target.ScalarAsync($"SELECT COUNT(*) FROM `{c.Target}`.`{Main.Table}`"));

    private static async Task<string> ColumnsAsync(MariaDbServer server, string schema, string table) =>
        (string)(await server.ScalarAsync(
            "SELECT GROUP_CONCAT(CONCAT(COLUMN_NAME, ' ', COLUMN_TYPE, ' ', IFNULL(COLUMN_DEFAULT, '-')) ORDER BY ORDINAL_POSITION) " +
            $"FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '{schema}' AND TABLE_NAME = '{table}'"))!;

    /// <summary>The ALTER statements of a merged table the target applied since the case began (its binlog holds only those that succeeded).</summary>
    private async Task<int> AltersAppliedAsync(Case c, Merge merge)
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
    private async Task AssertConvergedAsync(Case c)
    {
        foreach (var merge in c.Merges) await AssertConvergedAsync(c, merge);
        await MigrationEnvironment.WaitForAsync(async () => (await LocksAsync(c)).Count == 0, "no shard DDL lock left", TimeSpan.FromSeconds(30));
        await cluster.WaitForAllAsync(c.Task, "in Sync", s => TwoSourceCluster.InSync(s) && s["error_msg"]?.GetValue<string>() is null or "", Timeout);
        Assert.Equal(0L, Convert.ToInt64(await cluster.Target.ScalarAsync($"SELECT COUNT(*) FROM dm_meta.`{c.Task}_syncer_sharding_meta`")));
    }

    private async Task AssertConvergedAsync(Case c, Merge merge)
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
