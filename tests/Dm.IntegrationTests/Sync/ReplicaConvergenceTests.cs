using Dm.TestKit;
using Dm.TestKit.Workloads;
using Xunit.Abstractions;

namespace Dm.IntegrationTests.Sync;

/// <summary>
/// The workload and the comparison checked against replication that is known to work: a MariaDB replica of the
/// upstream (CHANGE MASTER from the position before the tables exist) must end equal to it, table by table, though the
/// upstream restarts in the middle. If this
/// fails the workload or the comparison is wrong, not DM#.
/// </summary>
public sealed class ReplicaConvergenceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task MariaDbReplicaOfTheRandomWorkloadEndsEqualToItsSource()
    {
        var servers = await Task.WhenAll(
            MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 71 }),
            MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 72 }));
        await using var upstream = servers[0];
        await using var replica = servers[1];
        var (file, position) = await SyncTestEnvironment.MasterPositionAsync(upstream);
        await replica.ExecuteAsync($"""
            CHANGE MASTER TO MASTER_HOST = '{upstream.Host}', MASTER_PORT = {upstream.Port}, MASTER_USER = '{upstream.User}',
              MASTER_PASSWORD = '{upstream.Password}', MASTER_LOG_FILE = '{file}', MASTER_LOG_POS = {position}, MASTER_USE_GTID = no,
              MASTER_CONNECT_RETRY = 1;
            START SLAVE;
            """);

        var workload = RandomWorkload.For(upstream, new WorkloadOptions
        {
            Connections = 3, Duration = TimeSpan.FromSeconds(20), OperationDelay = TimeSpan.FromMilliseconds(3), Log = output.WriteLine,
        }, seedRows: 3000);
        await workload.CreateTablesAsync();
        // The workload goes on through a restart of its server (its connections re-open), as the Sync tests need.
        var writing = workload.RunAsync();
        await Task.Delay(8000);
        await upstream.StopAsync();
        await Task.Delay(1500);
        await upstream.RestartAsync();
        var report = await writing;
        Assert.True(report.Operations > 500 && report.Counts.GetValueOrDefault("connection lost") > 0, report.ToString());

        var (endFile, endPosition) = await SyncTestEnvironment.MasterPositionAsync(upstream);
        var waited = await replica.ScalarAsync($"SELECT MASTER_POS_WAIT('{endFile}', {endPosition}, 120)");
        Assert.True(waited != null && Convert.ToInt64(waited) >= 0,
            $"the replica did not reach {endFile}:{endPosition} (MASTER_POS_WAIT {waited ?? "NULL"}): {await ReplicaStateAsync(replica)}");
        await Convergence.AssertConvergesAsync(upstream, replica, workload, TimeSpan.FromSeconds(5));

        // The comparison must see a doubled row in the keyless table and one changed value.
        await replica.ExecuteAsync("STOP SLAVE; INSERT INTO `wl-b`.`no_key` SELECT * FROM `wl-b`.`no_key` LIMIT 1; " +
            "UPDATE `wl_a`.orders SET k = k + 1 ORDER BY id LIMIT 1");
        await using var source = await upstream.OpenAsync();
        await using var target = await replica.OpenAsync();
        var differences = await WorkloadComparison.DifferencesAsync(source, target, workload.Tables.Schemas);
        Assert.Equal(2, differences.Count);
        Assert.Contains("0 row(s) missing in the target, 1 extra", differences.Single(d => d.StartsWith("`wl-b`.`no_key`", StringComparison.Ordinal)));
        Assert.Contains("1 row(s) missing in the target, 1 extra", differences.Single(d => d.StartsWith("`wl_a`.`orders`", StringComparison.Ordinal)));
    }

    private static async Task<string> ReplicaStateAsync(MariaDbServer replica)
    {
        await using var connection = await replica.OpenAsync();
        await using var command = new MySqlConnector.MySqlCommand("SHOW SLAVE STATUS", connection);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return "no replica status";
        return string.Join(", ", new[] { "Slave_SQL_Running", "Exec_Master_Log_Pos", "Last_SQL_Error", "Last_IO_Error" }
            .Select(c => $"{c}={reader[c]}"));
    }
}
