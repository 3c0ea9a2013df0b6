using Dm.TestKit.Workloads;
using Xunit.Abstractions;

namespace Dm.IntegrationTests.Sync;

/// <summary>
/// The random workload on the upstream while a DM# task replicates it: an incremental task from the position recorded
/// before the workload's tables existed, and an `all` task whose dump runs while the workload writes (the hand-over
/// from the dump's position must lose nothing and repeat nothing). Every table of both schemas is compared at the end.
/// </summary>
public sealed class IncrementalWorkloadTests(ITestOutputHelper output)
{
    private WorkloadOptions Options(TimeSpan duration) => new()
    {
        Connections = 2, Duration = duration, OperationDelay = TimeSpan.FromMilliseconds(5), LargeTransactionRate = 0.002, Log = output.WriteLine,
    };

    [Fact]
    public async Task IncrementalTaskReplicatesTheWorkloadExactly()
    {
        await using var env = await SyncTestEnvironment.StartAsync("sync-incr-master", 81);
        await env.StartWorkerAsync("sync-incr-worker");
        var workload = RandomWorkload.For(env.Upstream, Options(TimeSpan.FromSeconds(20)), seedRows: 500);
        var start = await SyncTestEnvironment.MasterPositionAsync(env.Upstream);
        await env.Env.CreateTaskAsync(env.TaskBody("incr-wl", "incremental", workload.Tables, safeMode: false, start));
        await env.Env.StartTaskAsync("incr-wl");
        await env.WaitForSyncRunningAsync("incr-wl", TimeSpan.FromSeconds(60));

        await workload.CreateTablesAsync();
        using (var withDdl = new CancellationTokenSource(TimeSpan.FromSeconds(8))) await workload.RunAsync(withDdl.Token);
        await env.AssertNotPausedAsync("incr-wl");
        await Convergence.AssertConvergesAsync(env.Upstream, env.Target, workload, TimeSpan.FromSeconds(90), () => env.AssertNotPausedAsync("incr-wl"),
            describe: () => env.DescribeAsync("incr-wl"));
    }

    [Fact]
    public async Task AllTaskHandsOverFromTheDumpPositionWhileTheWorkloadWrites()
    {
        await using var env = await SyncTestEnvironment.StartAsync("sync-all-master", 83);
        await env.StartWorkerAsync("sync-all-worker");
        // Rows kept modest: the keyless table's DELETEs are applied one full scan each (a known Sync limitation).
        var workload = RandomWorkload.For(env.Upstream, Options(TimeSpan.FromSeconds(90)), seedRows: 15_000);
        await workload.CreateTablesAsync();
        await env.Env.CreateTaskAsync(env.TaskBody("all-wl", "all", workload.Tables, safeMode: false));

        // Writes start before the task and go on through Dump and Load until Sync has run a while. No DDL while the
        // dump runs (DM does not support it there); DDL again once Sync runs.
        using var stop = new CancellationTokenSource();
        var writing = workload.RunAsync(stop.Token, withDdl: false);
        await Task.Delay(2000);
        await env.Env.StartTaskAsync("all-wl");
        var units = new HashSet<string>();
        await MigrationEnvironment.WaitForAsync(async () =>
        {
            var status = await env.StatusAsync("all-wl");
            units.Add(status["unit"]?.GetValue<string>() ?? "");
            await env.AssertNotPausedAsync("all-wl");
            return status["unit"]?.GetValue<string>() == "Sync" && status["stage"]?.GetValue<string>() == "Running";
        }, "the all task to reach Sync", TimeSpan.FromMinutes(2));
        await Task.Delay(5000);
        stop.Cancel();
        var report = await writing;
        output.WriteLine($"units seen while writing: {string.Join(", ", units)}; {report}");
        Assert.Contains("Sync", units);
        Assert.True(units.Contains("Dump") || units.Contains("Load"), "the task was never seen dumping or loading while the workload wrote");
        using (var withDdl = new CancellationTokenSource(TimeSpan.FromSeconds(8))) await workload.RunAsync(withDdl.Token);

        await Convergence.AssertConvergesAsync(env.Upstream, env.Target, workload, TimeSpan.FromSeconds(90), () => env.AssertNotPausedAsync("all-wl"),
            describe: () => env.DescribeAsync("all-wl"));
    }
}
