using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dm.TestKit;
using Dm.TestKit.DataComparison;
using MySqlConnector;

namespace Dm.IntegrationTests;

/// <summary>
/// A worker cut off from the master (frozen with SIGSTOP past its keepalive TTL) while it has a batch in flight: its source
/// moves to another worker, which claims the binding's epoch in the target; when the frozen worker is thawed, its batch
/// finds the fence moved and rolls back. Nothing of the old binding lands after the move: a keyless table (where a second
/// copy of a row would show) ends equal to the source, and the old worker reports it was fenced.
/// </summary>
public sealed class FencingTests
{
    [Fact]
    public async Task A_partitioned_worker_applies_nothing_after_its_source_moved()
    {
        await using var env = await MigrationEnvironment.StartAsync("fence-master", 97, rows: 0);
        var w1 = await DmWorkerProcess.StartAsync("fence-worker-1", [env.Master], keepAliveTtlSeconds: 3);
        await using var _ = w1;
        await MigrationEnvironment.WaitForAsync(async () => await BoundStageAsync(env, "fence-worker-1") == "free", "worker 1 free", TimeSpan.FromSeconds(20));
        await env.CreateSourceAsync("fence-src", env.Upstream);
        await MigrationEnvironment.WaitForAsync(async () => await BoundStageAsync(env, "fence-worker-1") == "bound", "the source on worker 1", TimeSpan.FromSeconds(20));
        await using var w2 = await DmWorkerProcess.StartAsync("fence-worker-2", [env.Master], keepAliveTtlSeconds: 3);

        await StartKeylessTaskAsync(env, "fenced", "fence-src");
        await env.Upstream.ExecuteAsync("INSERT INTO fence_db.keyless VALUES (1, 'before')");
        await MigrationEnvironment.WaitForAsync(async () => await CountAsync(env.Target, 1) == 1, "the first row in the target", TimeSpan.FromSeconds(60));

        // Worker 1's next batch waits on a lock in the target; then worker 1 freezes with it in flight.
        await using var locker = await env.Target.OpenAsync();
        await new MySqlCommand("LOCK TABLES fence_db.keyless WRITE", locker).ExecuteNonQueryAsync();
        await env.Upstream.ExecuteAsync("INSERT INTO fence_db.keyless VALUES (2, 'in flight')");
        await MigrationEnvironment.WaitForAsync(async () => Convert.ToInt64(await env.Target.ScalarAsync(
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%INSERT INTO `fence_db`.`keyless`%'")) > 0,
            "worker 1's batch to wait on the lock", TimeSpan.FromSeconds(30));
        w1.Freeze();

        // Past its TTL the source moves to worker 2, whose run claims the binding's epoch and replays the row.
        await MigrationEnvironment.WaitForAsync(async () => await BoundStageAsync(env, "fence-worker-2") == "bound", "the source on worker 2", TimeSpan.FromSeconds(30));
        await new MySqlCommand("UNLOCK TABLES", locker).ExecuteNonQueryAsync();
        await MigrationEnvironment.WaitForAsync(async () => await CountAsync(env.Target, 2) == 1, "worker 2 to apply the row", TimeSpan.FromSeconds(60));
        await env.Upstream.ExecuteAsync("INSERT INTO fence_db.keyless VALUES (3, 'after the move')");
        await MigrationEnvironment.WaitForAsync(async () => await CountAsync(env.Target, 3) == 1, "worker 2 to apply a later row", TimeSpan.FromSeconds(60));

        // Thawed, worker 1 finds its batch refused by the fence (the server ran it when the lock went, and its applied row's
        // guard failed) and its keepalive lapsed: it rolls back and stops. Its row never lands a second time.
        w1.Thaw();
        await MigrationEnvironment.WaitForAsync(async () => await BoundStageAsync(env, "fence-worker-1") == "free", "worker 1 back, free", TimeSpan.FromSeconds(30));
        await Task.Delay(2000);
        Assert.Equal(1L, await CountAsync(env.Target, 2));
        await using (var source = await env.Upstream.OpenAsync())
        await using (var target = await env.Target.OpenAsync())
            await MigrationComparer.AssertSameAsync(source, target, [(("fence_db", "keyless"), ("fence_db", "keyless"))]);
        // The fence holds worker 2's binding epoch, later than worker 1's.
        var epoch = Convert.ToInt64(await env.Target.ScalarAsync("SELECT epoch FROM dm_meta.fenced_fence WHERE id = 'fence-src'"));
        Assert.Equal(HeldEpoch(w2), epoch);
        Assert.True(HeldEpoch(w1) < epoch, $"worker 1 held epoch {HeldEpoch(w1)}, the fence has {epoch}");
        var status = (await env.Master.Http.GetFromJsonAsync<JsonObject>("/api/v1/tasks/fenced/status"))!["data"]![0]!;
        Assert.Equal("fence-worker-2", status["worker_name"]!.GetValue<string>());
    }

    /// <summary>
    /// Split brain from the other side: the master frozen (SIGSTOP), its worker cut off from every master stops applying
    /// after two thirds of its keepalive TTL (a row written upstream meanwhile does not reach the target), and goes on
    /// when the master is back; the target ends equal to the source.
    /// </summary>
    [Fact]
    public async Task A_worker_cut_off_from_the_master_stops_applying_and_resumes_when_it_is_back()
    {
        await using var env = await MigrationEnvironment.StartAsync("cutoff-master", 98, rows: 0);
        await using var worker = await DmWorkerProcess.StartAsync("cutoff-worker", [env.Master], keepAliveTtlSeconds: 3);
        await MigrationEnvironment.WaitForAsync(async () => await BoundStageAsync(env, "cutoff-worker") == "free", "the worker free", TimeSpan.FromSeconds(20));
        await env.CreateSourceAsync("cutoff-src", env.Upstream);
        await MigrationEnvironment.WaitForAsync(async () => await BoundStageAsync(env, "cutoff-worker") == "bound", "the source on the worker", TimeSpan.FromSeconds(20));
        await StartKeylessTaskAsync(env, "cutoff", "cutoff-src");
        await env.Upstream.ExecuteAsync("INSERT INTO fence_db.keyless VALUES (1, 'before')");
        await MigrationEnvironment.WaitForAsync(async () => await CountAsync(env.Target, 1) == 1, "the first row in the target", TimeSpan.FromSeconds(60));

        var frozenAt = System.Diagnostics.Stopwatch.StartNew();
        env.Master.Freeze();
        try
        {
            await MigrationEnvironment.WaitForAsync(() => Task.FromResult(worker.ReadLog().Contains("stopping the subtasks of source cutoff-src", StringComparison.Ordinal)),
                "the cut-off worker to stop its subtasks", TimeSpan.FromSeconds(15));
            var stoppedAfter = frozenAt.Elapsed;
            // Two thirds of the TTL (2 s) after its last answered heartbeat, sent at most one period (1 s) before the freeze.
            Assert.True(stoppedAfter >= TimeSpan.FromSeconds(0.9), $"stopped {stoppedAfter.TotalSeconds:0.0} s after the master froze: before two thirds of the 3 s TTL");
            await env.Upstream.ExecuteAsync("INSERT INTO fence_db.keyless VALUES (2, 'while cut off')");
            await Task.Delay(4000);
            Assert.Equal(0L, await CountAsync(env.Target, 2));
            Console.WriteLine($"cut-off worker stopped its subtasks {stoppedAfter.TotalSeconds:0.0} s after the master froze (TTL 3 s)");
        }
        finally
        {
            env.Master.Thaw();
        }
        await MigrationEnvironment.WaitForAsync(async () => await CountAsync(env.Target, 2) == 1, "the row once the master is back", TimeSpan.FromSeconds(60));
        await env.Upstream.ExecuteAsync("INSERT INTO fence_db.keyless VALUES (3, 'after')");
        await MigrationEnvironment.WaitForAsync(async () => await CountAsync(env.Target, 3) == 1, "a later row", TimeSpan.FromSeconds(60));
        await using (var source = await env.Upstream.OpenAsync())
        await using (var target = await env.Target.OpenAsync())
            await MigrationComparer.AssertSameAsync(source, target, [(("fence_db", "keyless"), ("fence_db", "keyless"))]);
    }

    /// <summary>Creates fence_db.keyless upstream and starts an incremental task of it from the upstream's current position.</summary>
    private static async Task StartKeylessTaskAsync(MigrationEnvironment env, string task, string source)
    {
        var start = await Sync.SyncTestEnvironment.MasterPositionAsync(env.Upstream);
        await env.Upstream.ExecuteAsync("CREATE DATABASE fence_db; CREATE TABLE fence_db.keyless (v INT, note VARCHAR(40))");
        await env.CreateTaskAsync(new
        {
            task = new
            {
                name = task, task_mode = "incremental", meta_schema = "dm_meta", enhance_online_schema_change = false, on_duplicate = "replace",
                target_config = new { host = env.Target.Host, port = env.Target.Port, user = env.Target.User, password = env.Target.Password },
                table_migrate_rule = new[] { new { source = new { source_name = source, schema = "fence_db", table = "*" } } },
                source_config = new { source_conf = new[] { new { source_name = source, binlog_name = start.File, binlog_pos = start.Position } } },
            },
        });
        await env.StartTaskAsync(task);
    }

    /// <summary>The binding epoch the worker's Sync run logged it holds.</summary>
    private static long HeldEpoch(DmWorkerProcess worker)
    {
        var match = System.Text.RegularExpressions.Regex.Matches(worker.ReadLog(), @"holds binding epoch (\d+)").LastOrDefault();
        Assert.True(match is not null, $"{worker.Name} logged no binding epoch");
        return long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<long> CountAsync(MariaDbServer target, int v)
    {
        try { return Convert.ToInt64(await target.ScalarAsync($"SELECT COUNT(*) FROM fence_db.keyless WHERE v = {v}")); }
        catch (MySqlException e) when (e.ErrorCode == MySqlErrorCode.NoSuchTable) { return 0; }
    }

    private static async Task<string?> BoundStageAsync(MigrationEnvironment env, string worker)
    {
        var workers = (await env.Master.Http.GetFromJsonAsync<JsonObject>("/api/v1/cluster/workers"))!["data"]!.AsArray();
        return workers.FirstOrDefault(w => w!["name"]!.GetValue<string>() == worker)?["bound_stage"]?.GetValue<string>();
    }
}
