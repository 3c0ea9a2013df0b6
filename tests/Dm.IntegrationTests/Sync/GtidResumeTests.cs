using Dm.TestKit;
using Dm.TestKit.Workloads;
using Xunit.Abstractions;

namespace Dm.IntegrationTests.Sync;

/// <summary>
/// A source with enable_gtid and an incremental task whose start is a GTID set alone: Sync reads after that set, its
/// checkpoints carry the complete set, and a worker killed with SIGKILL while the workload writes resumes from its
/// checkpoint's GTID set (as DM does with GTID on). The target must end equal to the source.
/// </summary>
public sealed class GtidResumeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_task_started_from_a_GTID_set_alone_resumes_by_GTID_after_kill_9_and_converges()
    {
        await using var env = await SyncTestEnvironment.StartAsync("sync-gtid-master", 95, enableGtid: true);
        var worker = await env.StartWorkerAsync("sync-gtid-worker");
        var workload = RandomWorkload.For(env.Upstream, new WorkloadOptions
        {
            Connections = 2, Duration = TimeSpan.FromSeconds(40), OperationDelay = TimeSpan.FromMilliseconds(5),
            LargeTransactionRate = 0.002, Log = output.WriteLine,
            Tables = new WorkloadTables { WithMariaDbTypes = false },
        }, seedRows: 300);
        var startGtid = (string)(await env.Upstream.ScalarAsync("SELECT @@gtid_binlog_pos"))!;
        output.WriteLine($"start GTID set: {startGtid}");
        await env.Env.CreateTaskAsync(env.TaskBody("gtid-wl", "incremental", workload.Tables, safeMode: false, startGtid: startGtid));
        await env.Env.StartTaskAsync("gtid-wl");
        await env.WaitForSyncRunningAsync("gtid-wl", TimeSpan.FromSeconds(60));
        // Sync may show Running a moment before the run has chosen where it reads (relay or upstream) and logged it.
        await MigrationEnvironment.WaitForAsync(() => Task.FromResult(worker.ReadLog().Contains($"reads the binlog after the GTID set {startGtid}", StringComparison.Ordinal)),
            $"the worker to log that Sync reads after the GTID set {startGtid}", TimeSpan.FromSeconds(30));
        await workload.CreateTablesAsync();

        using var stop = new CancellationTokenSource();
        var writing = workload.RunAsync(stop.Token);
        var moments = new Random(workload.Options.Seed);
        for (var kill = 1; kill <= 3; kill++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(moments.Next(2000, 5000)));
            Assert.False(writing.IsFaulted, writing.Exception?.ToString());
            worker.Kill();
            await worker.RestartAsync();
        }
        stop.Cancel();
        await writing;

        await Convergence.AssertConvergesAsync(env.Upstream, env.Target, workload, TimeSpan.FromSeconds(120), () => env.AssertNotPausedAsync("gtid-wl"),
            describe: () => env.DescribeAsync("gtid-wl"));
        // After each restart the run read from its checkpoint's GTID set, a later one than the task's start.
        var resumed = worker.ReadLog().Split('\n').Where(l => l.Contains("reads the binlog after the GTID set", StringComparison.Ordinal)).ToList();
        output.WriteLine(string.Join("\n", resumed));
        Assert.Contains(resumed, l => !l.Contains($"after the GTID set {startGtid}", StringComparison.Ordinal));
        Assert.DoesNotContain(resumed, l => l.TrimEnd().EndsWith("set ", StringComparison.Ordinal));
        // The checkpoint holds the complete MariaDB GTID position, the upstream's own now that everything is applied.
        var upstreamGtid = (string)(await env.Upstream.ScalarAsync("SELECT @@gtid_binlog_pos"))!;
        await MigrationEnvironment.WaitForAsync(async () => (string?)await env.Target.ScalarAsync(
                "SELECT binlog_gtid FROM dm_meta.`gtid-wl_syncer_checkpoint` WHERE is_global = 1") == upstreamGtid,
            $"the checkpoint's GTID set to reach {upstreamGtid}", TimeSpan.FromSeconds(30));
    }
}
