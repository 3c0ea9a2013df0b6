using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dm.IntegrationTests.Sync;
using Dm.TestKit;
using Dm.TestKit.Workloads;

namespace Dm.IntegrationTests.Relay;

/// <summary>
/// Relay purge against real processes, each way DM has: by age (the source's purge.expires, checked every purge.interval),
/// by name (relay/purge and dmctl purge-relay), and by free space (purge.remain_space, the source updated while relay is
/// off). Each removes the older files and keeps, refusing when asked by name, the ones a paused task's checkpoint needs.
/// </summary>
public sealed class RelayPurgeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private const string Source = SyncTestEnvironment.SourceName;
    private const string TaskName = "purge-incr";
    private static int _marker = 10_000;

    [Fact]
    public async Task PurgesByAgeByNameAndByFreeSpaceKeepWhatATaskStillNeeds()
    {
        await using var env = await SyncTestEnvironment.StartAsync("relay-purge-master", 141, relay: new { enable_relay = true },
            purge: new { interval = 1, expires = 1, remain_space = 0 });
        var master = env.Env.Master;
        var worker = await env.StartWorkerAsync("relay-purge-worker");
        await RelayChecks.WaitCaughtUpAsync(master, Source, worker.Name, Timeout);
        var start = await SyncTestEnvironment.MasterPositionAsync(env.Upstream);
        await env.Env.CreateTaskAsync(env.TaskBody(TaskName, "incremental", new WorkloadTables(), safeMode: false, start));
        await env.Env.StartTaskAsync(TaskName);
        await env.WaitForSyncRunningAsync(TaskName, Timeout);
        await env.Upstream.ExecuteAsync("CREATE DATABASE wl_a; CREATE DATABASE `wl-b`; CREATE TABLE wl_a.t (id INT PRIMARY KEY)");

        // Files before the task's checkpoint, and after it (the task paused there).
        await RotateAsync(env, 3, first: 1);
        var checkpointFile = await PauseSyncedAsync(env);
        await RotateAsync(env, 3, first: 100);
        await RelayChecks.WaitCaughtUpAsync(master, Source, worker.Name, Timeout);
        Assert.Contains(RelayChecks.Files(worker), f => Path.GetFileName(f).CompareTo(checkpointFile) < 0);

        // By age: every file is made two hours old; the ones before the checkpoint go, the ones from it on stay.
        foreach (var file in RelayChecks.Files(worker)) File.SetLastWriteTimeUtc(file, DateTime.UtcNow - TimeSpan.FromHours(2));
        await MigrationEnvironment.WaitForAsync(() => Task.FromResult(
            RelayChecks.Files(worker).All(f => Path.GetFileName(f).CompareTo(checkpointFile) >= 0)), "the expired files before the checkpoint to go", Timeout);
        await SeveralIntervalsAsync();
        var kept = RelayChecks.Files(worker).Select(f => Path.GetFileName(f)).ToList();
        Assert.Equal(checkpointFile, kept[0]);
        Assert.True(kept.Count >= 4, string.Join(", ", kept));
        foreach (var file in RelayChecks.Files(worker)) File.SetLastWriteTimeUtc(file, DateTime.UtcNow);

        // By name: refused past the checkpoint's file, naming what needs it; allowed up to it once the task moved on.
        var refused = await master.Http.PostAsJsonAsync($"/api/v1/sources/{Source}/relay/purge", new { relay_binlog_name = kept[2] });
        Assert.Equal(400, (int)refused.StatusCode);
        var error = await refused.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(30037, error!["error_code"]!.GetValue<int>());
        Assert.Contains($"task {TaskName}'s checkpoint still needs mysql-bin|", error["error_msg"]!.GetValue<string>());
        Assert.Equal(kept, RelayChecks.Files(worker).Select(f => Path.GetFileName(f)));
        await env.Env.StartTaskAsync(TaskName);
        var moved = await PauseSyncedAsync(env);
        (await DmctlRun.RunAsync(master, "purge-relay", "-s", Source, "-f", kept[2])).Ok();
        Assert.Equal(kept[2], Path.GetFileName(RelayChecks.Files(worker)[0]));

        // By free space: relay off (its files stay), the source asks for more free space than the disk has, relay on again.
        Assert.True((await master.Http.PostAsJsonAsync($"/api/v1/sources/{Source}/relay/disable", new { })).IsSuccessStatusCode);
        var update = await master.Http.PutAsJsonAsync($"/api/v1/sources/{Source}", new
        {
            source = new { source_name = Source, host = env.Upstream.Host, port = env.Upstream.Port, user = env.Upstream.User,
                password = env.Upstream.Password, enable_gtid = false, enable = true, purge = new { interval = 1, expires = 0, remain_space = 1_000_000 } },
        });
        Assert.True(update.IsSuccessStatusCode, await update.Content.ReadAsStringAsync());
        Assert.True((await master.Http.PostAsJsonAsync($"/api/v1/sources/{Source}/relay/enable", new { })).IsSuccessStatusCode);
        await MigrationEnvironment.WaitForAsync(() => Task.FromResult(
            Path.GetFileName(RelayChecks.Files(worker)[0]) == moved), "the files before the moved checkpoint to go", Timeout);
        await SeveralIntervalsAsync();
        Assert.Equal(moved, Path.GetFileName(RelayChecks.Files(worker)[0]));
        await RelayChecks.AssertMariaDbBinlogReadsAsync(RelayChecks.Files(worker));
    }

    /// <summary>A few purge intervals, so that a purge that would go too far would have.</summary>
    private static Task SeveralIntervalsAsync() => Task.Delay(TimeSpan.FromSeconds(3));

    /// <summary><paramref name="count"/> binlog rotations, each after a row.</summary>
    private static async Task RotateAsync(SyncTestEnvironment env, int count, int first)
    {
        for (var i = 0; i < count; i++) await env.Upstream.ExecuteAsync($"INSERT INTO wl_a.t VALUES ({first + i}); FLUSH BINARY LOGS");
    }

    /// <summary>
    /// A row in the upstream's current file; once the task has applied it, the task is paused, and once its checkpoint
    /// (written on the way out) is in that file, the file's name comes back.
    /// </summary>
    private static async Task<string> PauseSyncedAsync(SyncTestEnvironment env)
    {
        var marker = Interlocked.Increment(ref _marker);
        await env.Upstream.ExecuteAsync($"INSERT INTO wl_a.t VALUES ({marker})");
        var (file, _) = await SyncTestEnvironment.MasterPositionAsync(env.Upstream);
        await MigrationEnvironment.WaitForAsync(async () => await env.Target.ScalarAsync(
                $"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'wl_a' AND TABLE_NAME = 't'") is long and 1
            && await env.Target.ScalarAsync($"SELECT COUNT(*) FROM wl_a.t WHERE id = {marker}") is long and 1, "the task to catch up", Timeout);
        await env.Env.StopTaskAsync(TaskName);
        await env.Env.WaitForStageAsync(TaskName, "Paused", Timeout);
        await MigrationEnvironment.WaitForAsync(async () =>
        {
            var name = (string?)await env.Target.ScalarAsync($"SELECT binlog_name FROM dm_meta.`{TaskName}_syncer_checkpoint` WHERE is_global = 1");
            // DM's relay form: the task reads the relay log.
            return name is not null && name.Contains('|') && Dm.Binlog.Replication.BinlogFileName.Parse(name).UpstreamName == file;
        }, $"the task's checkpoint in {file}", Timeout);
        return file;
    }
}
