using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Tests;

/// <summary>
/// The streaming copy creates fresh tables without their plain secondary indexes and adds them after the rows.
/// A crash after "rows loaded" but before "indexes added" must still end with the source's exact structure.
/// </summary>
[Collection(FullCopyCollection.Name)]
public sealed class DeferredIndexResumeTests(SourceAndTargetFixture fx)
{
    [Fact]
    public async Task Crash_while_deferred_indexes_are_added_is_finished_by_fresh_units()
    {
        await fx.ResetTargetAsync();
        var context = fx.Context("defer_crash", streaming: true, adjust: c => c.Loader.OnDuplicateLogical = "error");
        var (dump, _) = FullCopyUnits.Create(context);
        await dump.InitAsync(CancellationToken.None);
        var run = dump.ProcessAsync(CancellationToken.None);

        // Rows are loaded without k_1; catch the ALTER TABLE that puts it back and kill every session mid-way.
        Assert.Equal(0L, await WaitForAsync("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'ALTER TABLE `big_db`.`big` ADD KEY%'", run));
        await ClientSessions.KillAllAsync(fx.Source, fx.Target);
        var crashed = await run;
        Assert.Equal(UnitOutcome.Failed, crashed.Outcome);
        Assert.True(crashed.Resumable, crashed.Error?.Message);
        Assert.Equal(SourceCorpus.BigRows, await ScalarAsync("SELECT COUNT(*) FROM big_db.big"));
        Assert.Equal(0L, await ScalarAsync("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA='big_db' AND INDEX_NAME='k_1'"));

        var (freshDump, freshLoad) = FullCopyUnits.Create(context);
        await UnitDriver.RunToEndAsync(freshDump);
        await UnitDriver.RunToEndAsync(freshLoad);
        await fx.AssertMigratedAsync();
    }

    [Fact]
    public async Task A_table_that_already_exists_in_the_target_keeps_its_indexes_while_loading()
    {
        await fx.ResetTargetAsync();
        await fx.Target.ExecuteAsync("CREATE DATABASE big_db");
        await fx.Target.ExecuteAsync("CREATE TABLE big_db.big (id INT UNSIGNED NOT NULL PRIMARY KEY, k INT NOT NULL, c CHAR(60) NOT NULL, pad CHAR(40) NOT NULL, KEY k_1 (k))");
        var (dump, load) = FullCopyUnits.Create(fx.Context("defer_existing", streaming: true));
        await dump.InitAsync(CancellationToken.None);
        var run = dump.ProcessAsync(CancellationToken.None);
        // Never dropped nor re-added: no ALTER on a table the user made.
        while (!run.IsCompleted)
        {
            Assert.Equal(0L, await ScalarAsync("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'ALTER TABLE `big_db`.`big`%'"));
            await Task.Delay(20);
        }
        Assert.Equal(UnitOutcome.Finished, (await run).Outcome);
        await UnitDriver.RunToEndAsync(load);
        await fx.AssertMigratedAsync();
    }

    [Fact]
    public async Task With_the_workers_defer_indexes_off_tables_are_created_with_their_indexes()
    {
        await fx.ResetTargetAsync();
        var (dump, load) = FullCopyUnits.Create(fx.Context("defer_off", streaming: true) with { DeferIndexes = false });
        await dump.InitAsync(CancellationToken.None);
        var copy = dump.ProcessAsync(CancellationToken.None);
        // Created before its first row: k_1 is there as soon as the table is.
        await WaitForAsync("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'big_db' AND TABLE_NAME = 'big'", copy);
        Assert.Equal(1L, await ScalarAsync("SELECT COUNT(DISTINCT INDEX_NAME) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'big_db' AND INDEX_NAME = 'k_1'"));
        Assert.Equal(UnitOutcome.Finished, (await copy).Outcome);
        await UnitDriver.RunToEndAsync(load);
        await fx.AssertMigratedAsync();
    }

    /// <summary>Polls until <paramref name="sql"/> counts something, failing if the copy ends first; returns 0 when seen.</summary>
    private async Task<long> WaitForAsync(string sql, Task running)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(running.IsCompleted, "the copy ended before it could be interrupted");
            if (await ScalarAsync(sql) > 0) return 0;
            await Task.Delay(5);
        }
        throw new TimeoutException(sql);
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var target = await fx.Target.OpenAsync();
        await using var command = new MySqlCommand(sql, target);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
