using Dm.IntegrationTests.Sync;
using Dm.TestKit;
using Dm.TestKit.Workloads;
using Xunit.Abstractions;

namespace Dm.IntegrationTests.Relay;

/// <summary>
/// Sync reading the relay log (binlog_type local) against real servers: a task survives the upstream purging its binlog
/// while the task is paused, and a worker killed again and again while it writes the relay log under a heavy workload
/// leaves relay files MariaDB's own reader takes and equal to the upstream's, with the target converging, nothing lost or
/// applied twice.
/// </summary>
public sealed class RelaySyncTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ATaskResumesFromTheRelayAfterTheUpstreamPurgedItsBinlog()
    {
        await using var env = await SyncTestEnvironment.StartAsync("relay-sync-master", 131, relay: new { enable_relay = true });
        var master = env.Env.Master;
        const string source = SyncTestEnvironment.SourceName;
        var worker = await env.StartWorkerAsync("relay-sync-worker");
        await RelayChecks.WaitCaughtUpAsync(master, source, worker.Name, Timeout);
        var workload = RandomWorkload.For(env.Upstream, Workload(TimeSpan.FromSeconds(60)), seedRows: 2000);
        await workload.CreateTablesAsync();
        const string task = "relay-all";
        await env.Env.CreateTaskAsync(env.TaskBody(task, "all", workload.Tables, safeMode: false));
        await env.Env.StartTaskAsync(task);
        await env.WaitForSyncRunningAsync(task, Timeout);
        Assert.Equal("local", (await env.StatusAsync(task))["sync_status"]!["binlog_type"]!.GetValue<string>());

        using (var running = new CancellationTokenSource(TimeSpan.FromSeconds(6)))
            await RunWithRotationsAsync(env.Upstream, workload, running.Token);
        await env.Env.StopTaskAsync(task);
        await env.Env.WaitForStageAsync(task, "Paused", Timeout);
        // While the task is paused the upstream writes on, rotates and purges every file but its current one.
        using (var paused = new CancellationTokenSource(TimeSpan.FromSeconds(6)))
            await RunWithRotationsAsync(env.Upstream, workload, paused.Token);
        await env.Upstream.ExecuteAsync("FLUSH BINARY LOGS");
        var (current, _) = await SyncTestEnvironment.MasterPositionAsync(env.Upstream);
        await RelayChecks.WaitCaughtUpAsync(master, source, worker.Name, Timeout);
        // MariaDB keeps a file until its binlog checkpoint is logged in a later one: purge until only the current file is left.
        await MigrationEnvironment.WaitForAsync(async () =>
        {
            await env.Upstream.ExecuteAsync($"PURGE BINARY LOGS TO '{current}'");
            return await FirstBinlogAsync(env.Upstream) == current;
        }, $"the upstream to purge every binlog before {current}", Timeout);

        // The checkpoint is in a file the upstream no longer has: only the relay can serve it.
        var checkpoint = (await env.StatusAsync(task))["sync_status"]!["syncer_binlog"]!.GetValue<string>();
        output.WriteLine($"checkpoint {checkpoint}, upstream's oldest file now {current}");
        Assert.Contains("mysql-bin|", checkpoint);
        await env.Env.StartTaskAsync(task);
        await Convergence.AssertConvergesAsync(env.Upstream, env.Target, workload, Timeout, () => env.AssertNotPausedAsync(task),
            describe: () => env.DescribeAsync(task));
        Assert.Equal("local", (await env.StatusAsync(task))["sync_status"]!["binlog_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task AWorkerKilledWhileWritingTheRelayLeavesValidFilesAndSyncConverges()
    {
        const int kills = 10;
        await using var env = await SyncTestEnvironment.StartAsync("relay-kill-master", 133, relay: new { enable_relay = true });
        var master = env.Env.Master;
        const string source = SyncTestEnvironment.SourceName;
        var worker = await env.StartWorkerAsync("relay-kill-worker");
        await RelayChecks.WaitCaughtUpAsync(master, source, worker.Name, Timeout);
        var workload = RandomWorkload.For(env.Upstream, Workload(TimeSpan.FromMinutes(2)) with { Connections = 3, OperationDelay = TimeSpan.FromMilliseconds(2) },
            seedRows: 500);
        const string task = "relay-kill";
        var start = await SyncTestEnvironment.MasterPositionAsync(env.Upstream);
        await env.Env.CreateTaskAsync(env.TaskBody(task, "incremental", workload.Tables, safeMode: false, start));
        await env.Env.StartTaskAsync(task);
        await env.WaitForSyncRunningAsync(task, Timeout);
        await workload.CreateTablesAsync();

        using var stop = new CancellationTokenSource();
        var writing = RunWithRotationsAsync(env.Upstream, workload, stop.Token);
        await WorkerKills.RunAsync(worker, kills, workload.Options.Seed, TimeSpan.FromMilliseconds(2500), writing, output.WriteLine);
        await stop.CancelAsync();
        await writing;

        await Convergence.AssertConvergesAsync(env.Upstream, env.Target, workload, Timeout, () => env.AssertNotPausedAsync(task),
            describe: async () => $"{await env.DescribeAsync(task)}\nsource status: {(await RelayChecks.SourceStatusAsync(master, source)).ToJsonString()}" +
                $"\nworker log (tail):\n{string.Join('\n', worker.ReadLog().Split('\n').TakeLast(60))}");
        await MigrationEnvironment.WaitForAsync(async () => (await env.StatusAsync(task))["sync_status"]?["binlog_type"]?.GetValue<string>() == "local",
            "the restarted worker to report the task reading the relay log", Timeout);
        await RelayChecks.WaitCaughtUpAsync(master, source, worker.Name, Timeout);
        var files = RelayChecks.Files(worker);
        Assert.True(files.Count >= 3, string.Join(", ", files));
        await RelayChecks.AssertMariaDbBinlogReadsAsync(files);
        // The relay's copy is the upstream's binlog byte for byte: nothing lost, nothing written twice, no torn event left.
        foreach (var file in files)
        {
            var upstreamFile = await File.ReadAllBytesAsync(Path.Combine(env.Upstream.BinlogDirectory, Path.GetFileName(file)));
            var relayFile = await File.ReadAllBytesAsync(file);
            // The upstream's current file has LOG_EVENT_BINLOG_IN_USE_F in its FORMAT_DESCRIPTION (flags at 4 + 17); the
            // copy the source sends a replica has it cleared, as the file will have once closed.
            if (file == files[^1]) upstreamFile[4 + 17] &= 0xFE;
            var differs = upstreamFile.AsSpan().CommonPrefixLength(relayFile);
            Assert.True(upstreamFile.SequenceEqual(relayFile),
                $"{file} ({relayFile.Length} bytes) differs from the upstream's ({upstreamFile.Length} bytes) from byte {differs} on");
        }
        var cuts = worker.ReadLog().Split('\n').Count(l => l.Contains("cut from", StringComparison.Ordinal));
        output.WriteLine($"pauses seen: {string.Join(" | ", env.PausesSeen)}; relay files {files.Count}; relay tails cut back by recovery: {cuts}");
    }

    private WorkloadOptions Workload(TimeSpan duration) => new()
    {
        Connections = 2, Duration = duration, OperationDelay = TimeSpan.FromMilliseconds(5), LargeTransactionRate = 0.002, Log = output.WriteLine,
        Tables = new WorkloadTables { WithMariaDbTypes = false }, // INET6 is known to fail (IncrementalWorkloadTests)
    };

    /// <summary>The workload until cancelled, with the upstream rotating its binlog every second beside it.</summary>
    private static async Task RunWithRotationsAsync(MariaDbServer upstream, RandomWorkload workload, CancellationToken cancellationToken)
    {
        var writing = workload.RunAsync(cancellationToken);
        try
        {
            while (!writing.IsCompleted)
            {
                await Task.WhenAny(writing, Task.Delay(1000, CancellationToken.None));
                if (!writing.IsCompleted) await upstream.ExecuteAsync("FLUSH BINARY LOGS", CancellationToken.None);
            }
        }
        finally
        {
            await writing;
        }
    }

    private static async Task<string> FirstBinlogAsync(MariaDbServer server)
    {
        await using var connection = await server.OpenAsync();
        await using var command = new MySqlConnector.MySqlCommand("SHOW BINARY LOGS", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return reader.GetString(0);
    }
}
