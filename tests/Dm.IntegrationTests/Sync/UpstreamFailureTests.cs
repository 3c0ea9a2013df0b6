using System.Net.Http.Json;
using Dm.TestKit.Workloads;
using MySqlConnector;
using Xunit.Abstractions;

namespace Dm.IntegrationTests.Sync;

/// <summary>
/// The upstream misbehaves under a running incremental task: it restarts in the middle of the workload and its
/// replication connection is killed — the task recovers by itself and loses nothing; and a task whose start position
/// has been purged pauses with an error that says so.
/// </summary>
public sealed class UpstreamFailureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task UpstreamRestartAndKilledConnectionsAreRecoveredWithoutLoss()
    {
        await using var env = await SyncTestEnvironment.StartAsync("sync-up-master", 89);
        await env.StartWorkerAsync("sync-up-worker");
        var workload = RandomWorkload.For(env.Upstream, new WorkloadOptions
        {
            Connections = 2, Duration = TimeSpan.FromSeconds(12), OperationDelay = TimeSpan.FromMilliseconds(5), LargeTransactionRate = 0.002,
            Log = output.WriteLine, Tables = new WorkloadTables { WithMariaDbTypes = false }, // INET6 is known to fail (IncrementalWorkloadTests)
        }, seedRows: 500);
        var start = await SyncTestEnvironment.MasterPositionAsync(env.Upstream);
        await env.Env.CreateTaskAsync(env.TaskBody("up-wl", "incremental", workload.Tables, safeMode: false, start));
        await env.Env.StartTaskAsync("up-wl");
        await env.WaitForSyncRunningAsync("up-wl", TimeSpan.FromSeconds(60));
        await workload.CreateTablesAsync();

        // Phase 1: the upstream restarts in the middle of the workload.
        var writing = workload.RunAsync();
        await Task.Delay(5000);
        output.WriteLine("stopping the upstream");
        await env.Upstream.StopAsync();
        await Task.Delay(3000);
        await env.Upstream.RestartAsync();
        output.WriteLine("upstream back");
        await writing;
        await Convergence.AssertConvergesAsync(env.Upstream, env.Target, workload, TimeSpan.FromSeconds(90), () => env.AssertNotPausedAsync("up-wl"),
            describe: () => env.DescribeAsync("up-wl"));

        // Phase 2: the task's binlog connection is killed on the upstream in the middle of the workload.
        writing = workload.RunAsync();
        await Task.Delay(4000);
        var killed = await KillReplicationConnectionsAsync(env);
        output.WriteLine($"killed {killed} binlog dump connection(s)");
        await writing;
        Assert.True(killed > 0, "no binlog dump connection on the upstream to kill: is the task reading the binlog?");
        await Convergence.AssertConvergesAsync(env.Upstream, env.Target, workload, TimeSpan.FromSeconds(90), () => env.AssertNotPausedAsync("up-wl"),
            describe: () => env.DescribeAsync("up-wl"));
        output.WriteLine($"pauses seen: {string.Join(" | ", env.PausesSeen)}");
    }

    private static async Task<string> FirstBinlogAsync(SyncTestEnvironment env)
    {
        await using var connection = await env.Upstream.OpenAsync();
        await using var command = new MySqlCommand("SHOW BINARY LOGS", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return reader.GetString(0);
    }

    private static async Task<int> KillReplicationConnectionsAsync(SyncTestEnvironment env)
    {
        await using var connection = await env.Upstream.OpenAsync();
        var ids = new List<long>();
        await using (var list = new MySqlCommand("SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) ids.Add(reader.GetInt64(0));
        foreach (var id in ids)
        {
            await using var kill = new MySqlCommand($"KILL CONNECTION {id}", connection);
            await kill.ExecuteNonQueryAsync();
        }
        return ids.Count;
    }

    [Fact]
    public async Task PurgedStartPositionPausesTheTaskWithAClearError()
    {
        await using var env = await SyncTestEnvironment.StartAsync("sync-purge-master", 91);
        await env.StartWorkerAsync("sync-purge-worker");
        var start = await SyncTestEnvironment.MasterPositionAsync(env.Upstream);
        // Created while its start is still there (the pre-check's meta_position would refuse it otherwise), then purged.
        await env.Env.CreateTaskAsync(env.TaskBody("purge-wl", "incremental", new WorkloadTables("purged", "purged_b"), safeMode: false, start));
        await env.Upstream.ExecuteAsync("CREATE DATABASE purged; CREATE TABLE purged.t (id INT PRIMARY KEY); INSERT INTO purged.t VALUES (1); FLUSH BINARY LOGS;");
        var (current, _) = await SyncTestEnvironment.MasterPositionAsync(env.Upstream);
        Assert.NotEqual(start.File, current);
        // MariaDB keeps a log until InnoDB has checkpointed it; purge until it is really gone.
        await MigrationEnvironment.WaitForAsync(async () =>
        {
            await env.Upstream.ExecuteAsync($"PURGE BINARY LOGS TO '{current}'");
            return await FirstBinlogAsync(env) == current;
        }, $"{start.File} to be purged", TimeSpan.FromSeconds(20));

        await env.Env.StartTaskAsync("purge-wl");
        var paused = await env.Env.WaitForStageAsync("purge-wl", "Paused", TimeSpan.FromSeconds(30),
            s => s["error_msg"]?.GetValue<string>() is { Length: > 0 });
        var error = paused["error_msg"]!.GetValue<string>();
        output.WriteLine(error);
        Assert.True(error.Contains("purge", StringComparison.OrdinalIgnoreCase) || error.Contains("1236", StringComparison.Ordinal),
            $"the error does not say the binlog was purged: {error}");
        // It stays paused: nothing was applied from a stream with a hole.
        await Task.Delay(3000);
        Assert.Equal("Paused", (await env.StatusAsync("purge-wl"))["stage"]!.GetValue<string>());
        Assert.Equal(0L, Convert.ToInt64(await env.Target.ScalarAsync("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'purged'")));

        // A task created now from the purged start is refused by DM's meta_position pre-check.
        var refused = await env.Env.Master.Http.PostAsJsonAsync("/api/v1/tasks",
            env.TaskBody("purge-wl-2", "incremental", new WorkloadTables("purged", "purged_b"), safeMode: false, start));
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Equal(400, (int)refused.StatusCode);
        Assert.Contains("26005", body);
        Assert.Contains("meta position check", body);
    }
}
