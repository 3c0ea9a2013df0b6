using Dm.TestKit;
using Dm.TestKit.DataComparison;
using MySqlConnector;
using Xunit.Abstractions;

namespace Dm.IntegrationTests.Sync;

/// <summary>
/// The real pt-online-schema-change (Debian's percona-toolkit) adds and then drops columns of a 200k-row upstream table
/// while a task in mode all replicates it and a workload keeps writing to it and to another table: as DM does with online
/// DDL on, the shadow table's rows are skipped, its ALTERs recorded and applied to the target table at the cut-over, and
/// the tool's tables never reach the target. At the end the target's schema equals the upstream's and every table's
/// checksum matches.
/// </summary>
public sealed class PtOnlineSchemaChangeTests(ITestOutputHelper output)
{
    private const int Rows = 200_000;

    [Fact]
    public async Task Pt_osc_adding_and_dropping_columns_under_a_workload_converges()
    {
        await using var env = await SyncTestEnvironment.StartAsync("osc-master", 131);
        await env.StartWorkerAsync("osc-worker");
        await env.Upstream.ExecuteAsync($"""
            CREATE DATABASE osc;
            CREATE TABLE osc.big (id INT PRIMARY KEY, customer INT NOT NULL, amount DECIMAL(12,2), note VARCHAR(100), created DATETIME, KEY (customer));
            INSERT INTO osc.big SELECT seq, seq % 977, seq / 7, CONCAT('order ', seq), TIMESTAMP('2024-01-01') + INTERVAL seq SECOND FROM osc.seq_1_to_{Rows};
            CREATE TABLE osc.side (id INT PRIMARY KEY, v INT NOT NULL);
            INSERT INTO osc.side SELECT seq, seq FROM osc.seq_1_to_1000;
            """);
        await env.Env.CreateTaskAsync(new
        {
            task = new
            {
                name = "osc",
                task_mode = "all",
                meta_schema = "dm_meta",
                enhance_online_schema_change = true,
                on_duplicate = "replace",
                target_config = new { host = env.Target.Host, port = env.Target.Port, user = env.Target.User, password = env.Target.Password },
                table_migrate_rule = new[] { new { source = new { source_name = SyncTestEnvironment.SourceName, schema = "osc", table = "*" } } },
                source_config = new
                {
                    full_migrate_conf = new { export_threads = 2, import_threads = 2 },
                    incr_migrate_conf = new { repl_threads = 4, repl_batch = 100 },
                    source_conf = new[] { new { source_name = SyncTestEnvironment.SourceName } },
                },
            },
        });
        await env.Env.StartTaskAsync("osc");
        await env.WaitForSyncRunningAsync("osc", TimeSpan.FromMinutes(2));

        using var stop = new CancellationTokenSource();
        var workload = Task.Run(() => WorkloadAsync(env.Upstream, stop.Token));
        await RunPtOscAsync(env.Upstream, "ADD COLUMN c INT NOT NULL DEFAULT 5, ADD COLUMN tag VARCHAR(20) NULL");
        await RunPtOscAsync(env.Upstream, "DROP COLUMN note");
        await stop.CancelAsync();
        var operations = await workload;
        output.WriteLine($"workload: {operations} statements");
        Assert.True(operations > 0);

        await using var source = await env.Upstream.OpenAsync();
        await using var target = await env.Target.OpenAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            await env.AssertNotPausedAsync("osc");
            try
            {
                await MigrationComparer.AssertSameAsync(source, target, [(("osc", "big"), ("osc", "big")), (("osc", "side"), ("osc", "side"))]);
                break;
            }
            catch (Xunit.Sdk.XunitException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
        Assert.DoesNotContain("note", await MigrationComparer.ShowCreateAsync(target, ("osc", "big")));
        Assert.Equal(2L, Convert.ToInt64(await env.Target.ScalarAsync(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'osc'")));
    }

    private async Task RunPtOscAsync(MariaDbServer server, string alter)
    {
        var text = await ChildProcess.RunAsync("pt-online-schema-change",
        [
            "--alter", alter, "--execute", "--recursion-method=none", "--no-check-replication-filters", "--chunk-size=10000",
            "--set-vars", "lock_wait_timeout=30", "--tries", "create_triggers:10:0.5,drop_triggers:10:0.5,swap_tables:10:0.5",
            $"h={server.Host},P={server.Port},u={server.User},p={server.Password},D=osc,t=big",
        ], TimeSpan.FromMinutes(3));
        output.WriteLine(text);
        Assert.Contains("Successfully altered", text);
    }

    /// <summary>Inserts, updates and deletes on both tables until stopped (bounded); returns how many statements ran.</summary>
    private static async Task<int> WorkloadAsync(MariaDbServer server, CancellationToken stop)
    {
        var random = new Random(19);
        var count = 0;
        await using var connection = await server.OpenAsync();
        while (!stop.IsCancellationRequested && count < 20_000)
        {
            var id = random.Next(1, Rows + 2000);
            var sql = random.Next(5) switch
            {
                0 => $"REPLACE INTO osc.big (id, customer, amount, created) VALUES ({id}, {id % 977}, {random.Next(1000)}.25, NOW())",
                1 => $"UPDATE osc.big SET amount = amount + 1 WHERE id = {id}",
                2 => $"DELETE FROM osc.big WHERE id = {id}",
                3 => $"INSERT INTO osc.side (id, v) VALUES ({random.Next(1, 2000)}, 1) ON DUPLICATE KEY UPDATE v = v + 1",
                _ => $"DELETE FROM osc.side WHERE id = {random.Next(1, 2000)}",
            };
            try
            {
                await using var command = new MySqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync(CancellationToken.None);
                count++;
            }
            catch (MySqlException e) when (e.ErrorCode is MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout)
            {
                // pt-osc's table swap holds a metadata lock for a moment: the statement is simply not done.
            }
            await Task.Delay(2, CancellationToken.None);
        }
        return count;
    }
}
