using Dm.TestKit.Workloads;
using Xunit.Abstractions;

namespace Dm.IntegrationTests.Sync;

/// <summary>
/// A DDL the upstream accepts but the target refuses (the target's table was changed by hand) pauses the task with an
/// error quoting the statement and its binlog position; once the target is repaired the task resumes and converges.
/// A DDL DM#'s parser does not know pauses the task the same way, with nothing after it applied.
/// </summary>
public sealed class BadDdlTests(ITestOutputHelper output)
{
    [Fact]
    public async Task DdlTheTargetRefusesPausesTheTaskQuotingStatementAndPosition()
    {
        await using var env = await SyncTestEnvironment.StartAsync("sync-ddl-master", 93);
        await env.StartWorkerAsync("sync-ddl-worker");
        var tables = new WorkloadTables("ddl_a", "ddl_b");
        var workload = RandomWorkload.For(env.Upstream, new WorkloadOptions
        {
            Tables = tables, Connections = 1, Duration = TimeSpan.FromSeconds(3), DdlRate = 0, LargeTransactionRate = 0, Log = output.WriteLine,
        }, seedRows: 100);
        var start = await SyncTestEnvironment.MasterPositionAsync(env.Upstream);
        await env.Env.CreateTaskAsync(env.TaskBody("ddl-wl", "incremental", tables, safeMode: false, start));
        await env.Env.StartTaskAsync("ddl-wl");
        await workload.CreateTablesAsync();
        await workload.RunAsync();
        await Convergence.AssertConvergesAsync(env.Upstream, env.Target, workload, TimeSpan.FromSeconds(60), () => env.AssertNotPausedAsync("ddl-wl"),
            describe: () => env.DescribeAsync("ddl-wl"));

        // The target gets a column of the name the upstream is about to add: the upstream's ADD COLUMN fails there.
        await env.Target.ExecuteAsync("ALTER TABLE `ddl_b`.`uk only` ADD COLUMN clash INT");
        const string Ddl = "ALTER TABLE `ddl_b`.`uk only` ADD COLUMN clash VARCHAR(10) DEFAULT 'x'";
        await env.Upstream.ExecuteAsync(Ddl);
        var (file, end) = await SyncTestEnvironment.MasterPositionAsync(env.Upstream);
        await env.Upstream.ExecuteAsync("INSERT INTO `ddl_b`.`uk only` (u, w, n) VALUES (999999, 'after', 1)");

        var paused = await env.Env.WaitForStageAsync("ddl-wl", "Paused", TimeSpan.FromSeconds(60),
            s => s["error_msg"]?.GetValue<string>() is { Length: > 0 });
        var error = paused["error_msg"]!.GetValue<string>();
        output.WriteLine(error);
        Assert.Contains("ADD COLUMN clash", error, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(file, error);
        Assert.True(error.Contains(end.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            || await ContainsDdlStartAsync(env, file, error), $"the error does not give the DDL's binlog position ({file}, ending at {end}): {error}");
        Assert.Equal(0L, Convert.ToInt64(await env.Target.ScalarAsync("SELECT COUNT(*) FROM `ddl_b`.`uk only` WHERE u = 999999")));

        // Repair the target as an operator would, resume: the DDL and what followed it arrive.
        await env.Target.ExecuteAsync("ALTER TABLE `ddl_b`.`uk only` DROP COLUMN clash");
        await env.Env.StartTaskAsync("ddl-wl");
        await env.WaitForSyncRunningAsync("ddl-wl", TimeSpan.FromSeconds(30));
        await Convergence.AssertConvergesAsync(env.Upstream, env.Target, workload, TimeSpan.FromSeconds(60), () => env.AssertNotPausedAsync("ddl-wl"),
            describe: () => env.DescribeAsync("ddl-wl"));
    }

    [Fact]
    public async Task DdlTheParserDoesNotKnowPausesTheTaskQuotingStatementAndPosition()
    {
        await using var env = await SyncTestEnvironment.StartAsync("sync-parse-master", 95);
        await env.StartWorkerAsync("sync-parse-worker");
        var start = await SyncTestEnvironment.MasterPositionAsync(env.Upstream);
        await env.Env.CreateTaskAsync(env.TaskBody("parse-wl", "incremental", new WorkloadTables("periods", "periods_b"), safeMode: false, start));
        await env.Env.StartTaskAsync("parse-wl");
        await env.Upstream.ExecuteAsync("""
            CREATE DATABASE periods;
            CREATE TABLE periods.booking (id INT PRIMARY KEY, s DATE NOT NULL, e DATE NOT NULL, PERIOD FOR stay(s, e));
            INSERT INTO periods.booking VALUES (1, '2024-01-01', '2024-01-05');
            """);
        // MariaDB accepts this; Dm.Sql's parser (as of this test) does not. If the parser learns it, the task no longer
        // pauses here: pick another statement MariaDB takes and the parser refuses.
        const string Ddl = "ALTER TABLE periods.booking DROP PERIOD FOR stay";
        await env.Upstream.ExecuteAsync(Ddl);
        var (file, end) = await SyncTestEnvironment.MasterPositionAsync(env.Upstream);
        await env.Upstream.ExecuteAsync("INSERT INTO periods.booking VALUES (2, '2024-02-01', '2024-02-03')");

        var paused = await env.Env.WaitForStageAsync("parse-wl", "Paused", TimeSpan.FromSeconds(60),
            s => s["error_msg"]?.GetValue<string>() is { Length: > 0 });
        var error = paused["error_msg"]!.GetValue<string>();
        output.WriteLine(error);
        Assert.Contains("DROP PERIOD FOR stay", error, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(file, error);
        Assert.True(error.Contains(end.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            || await ContainsDdlStartAsync(env, file, error, "DROP PERIOD FOR stay"),
            $"the error does not give the DDL's binlog position ({file}, ending at {end}): {error}");
        Assert.Equal(1L, Convert.ToInt64(await env.Target.ScalarAsync("SELECT COUNT(*) FROM periods.booking")));
    }

    /// <summary>Whether the error names the position where the DDL's event starts (the other way to give its position).</summary>
    private static async Task<bool> ContainsDdlStartAsync(SyncTestEnvironment env, string file, string error, string ddlText = "ADD COLUMN clash")
    {
        await using var connection = await env.Upstream.OpenAsync();
        await using var command = new MySqlConnector.MySqlCommand($"SHOW BINLOG EVENTS IN '{file}'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (reader.GetString("Info").Contains(ddlText, StringComparison.Ordinal))
                return error.Contains(reader.GetInt64("Pos").ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
        return false;
    }
}
