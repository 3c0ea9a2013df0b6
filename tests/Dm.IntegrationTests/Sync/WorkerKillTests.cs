using Dm.TestKit;
using Dm.TestKit.Workloads;
using Xunit.Abstractions;

namespace Dm.IntegrationTests.Sync;

/// <summary>
/// The worker running an incremental task is killed with SIGKILL at random moments, again and again, while the
/// workload writes, and started again under the same name each time; with safe mode on and off. The target must end
/// equal to the source: no change lost, none applied twice (duplicate rows in the keyless table would show).
/// </summary>
public sealed class WorkerKillTests(ITestOutputHelper output)
{
    private const int Kills = 10;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task KilledWorkerResumesAndTheTargetConverges(bool safeMode)
    {
        var serverId = safeMode ? 87 : 85;
        await using var env = await SyncTestEnvironment.StartAsync($"sync-kill-master-{safeMode}", serverId);
        var worker = await env.StartWorkerAsync($"sync-kill-worker-{safeMode}");
        var workload = RandomWorkload.For(env.Upstream, new WorkloadOptions
        {
            Connections = 2, Duration = TimeSpan.FromMinutes(3), OperationDelay = TimeSpan.FromMilliseconds(5),
            LargeTransactionRate = 0.002, Log = output.WriteLine,
            Tables = new WorkloadTables { WithMariaDbTypes = false }, // INET6 is known to fail (IncrementalWorkloadTests)
        }, seedRows: 500);
        var task = $"kill-wl-{(safeMode ? "safe" : "unsafe")}";
        var start = await SyncTestEnvironment.MasterPositionAsync(env.Upstream);
        await env.Env.CreateTaskAsync(env.TaskBody(task, "incremental", workload.Tables, safeMode, start));
        await env.Env.StartTaskAsync(task);
        await env.WaitForSyncRunningAsync(task, TimeSpan.FromSeconds(60));
        await workload.CreateTablesAsync();

        using var stop = new CancellationTokenSource();
        var writing = workload.RunAsync(stop.Token);
        await WorkerKills.RunAsync(worker, Kills, workload.Options.Seed, TimeSpan.FromMilliseconds(3000), writing, output.WriteLine);
        stop.Cancel();
        await writing;

        await Convergence.AssertConvergesAsync(env.Upstream, env.Target, workload, TimeSpan.FromSeconds(120), () => env.AssertNotPausedAsync(task),
            describe: () => env.DescribeAsync(task));
        await env.AssertNotPausedAsync(task);
        output.WriteLine($"pauses seen: {string.Join(" | ", env.PausesSeen)}");
    }
}
