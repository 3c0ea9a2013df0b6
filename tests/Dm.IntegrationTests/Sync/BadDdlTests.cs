using Dm.TestKit.Workloads;
using Xunit.Abstractions;

namespace Dm.IntegrationTests.Sync;

/// <summary>
/// A DDL the upstream accepts but the target refuses (the target's table was changed by hand) pauses the task with an
/// error quoting the statement and its binlog position; once the target is repaired the task resumes and converges.
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
        await Convergence.AssertConvergesAsync(env.Upstream, env.Target, workload, TimeSpan.FromSeconds(60), () => env.AssertNotPausedAsync("ddl-wl"));

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
        await Convergence.AssertConvergesAsync(env.Upstream, env.Target, workload, TimeSpan.FromSeconds(60), () => env.AssertNotPausedAsync("ddl-wl"));
    }

    /// <summary>Whether the error names the position where the DDL's event starts (the other way to give its position).</summary>
    private static async Task<bool> ContainsDdlStartAsync(SyncTestEnvironment env, string file, string error)
    {
        await using var connection = await env.Upstream.OpenAsync();
        await using var command = new MySqlConnector.MySqlCommand($"SHOW BINLOG EVENTS IN '{file}'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (reader.GetString("Info").Contains("ADD COLUMN clash", StringComparison.Ordinal))
                return error.Contains(reader.GetInt64("Pos").ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
        return false;
    }
}
