using System.Diagnostics;
using Dm.Worker.Units;
using MySqlConnector;
using Xunit.Abstractions;

namespace Dm.Worker.Tests;

/// <summary>
/// A pause must take effect promptly even in the middle of one large chunk's LOAD DATA LOCAL stream: the stream is
/// ended, the statement stops, the chunk's transaction (rows and checkpoint) rolls back, and a resume redoes it.
/// </summary>
[Collection(FullCopyCollection.Name)]
public sealed class PauseLatencyTests(SourceAndTargetFixture fx, ITestOutputHelper output)
{
    /// <summary>Generous for a shared 2-core machine; a pause that waited for the chunk to end would exceed it only on a fast one, so the test also checks the chunk did not finish.</summary>
    private static readonly TimeSpan MaxPauseLatency = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Pause_in_the_middle_of_a_large_load_data_stream_takes_effect_promptly_and_redoes_the_chunk()
    {
        await fx.ResetTargetAsync();
        // One chunk per table: the 300k-row table is a single LOAD DATA of about 30 MB.
        var context = fx.Context("pause_load_data", streaming: true, adjust: c =>
        {
            c.Mydumper.Rows = 10_000_000;
            c.Loader.OnDuplicateLogical = "error";
        });
        var (dump, load) = FullCopyUnits.Create(context);
        await dump.InitAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var run = dump.ProcessAsync(cts.Token);

        var streamedFor = await WaitForBigLoadDataAsync(run, TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();
        await cts.CancelAsync();
        var result = await run;
        clock.Stop();
        output.WriteLine($"LOAD DATA into big_db.big ran {streamedFor.TotalMilliseconds:F0} ms; pause took {clock.Elapsed.TotalMilliseconds:F0} ms");

        Assert.Equal(UnitOutcome.Paused, result.Outcome);
        Assert.True(clock.Elapsed < MaxPauseLatency, $"pause took {clock.Elapsed.TotalSeconds:F1} s");
        // The interrupted chunk left nothing behind: no rows, no checkpoint, no statement still running.
        Assert.Equal(0L, await ScalarAsync("SELECT COUNT(*) FROM big_db.big"));
        Assert.Equal(0L, await ScalarAsync("SELECT COUNT(*) FROM dm_meta.`pause_load_data_loader_checkpoint` WHERE `cp_schema` = 'big_db' AND `cp_table` = 'big'"));
        Assert.Equal(0L, await ScalarAsync("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'LOAD DATA%'"));

        // on-duplicate "error": a chunk applied twice would fail, so finishing proves the redo started clean.
        var (freshDump, freshLoad) = FullCopyUnits.Create(context);
        await UnitDriver.RunToEndAsync(freshDump);
        await UnitDriver.RunToEndAsync(freshLoad);
        await fx.AssertMigratedAsync();
    }

    /// <summary>Waits until the target runs a LOAD DATA into the big table that has streamed for <paramref name="atLeast"/>; returns how long it has.</summary>
    private async Task<TimeSpan> WaitForBigLoadDataAsync(Task running, TimeSpan atLeast)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        Stopwatch? seen = null;
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(running.IsCompleted, "the copy ended before the big chunk's LOAD DATA could be paused");
            var loading = await ScalarAsync("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'LOAD DATA%`big`%'") > 0;
            if (!loading)
                seen = null;
            else if ((seen ??= Stopwatch.StartNew()).Elapsed >= atLeast)
                return seen.Elapsed;
            await Task.Delay(20);
        }
        throw new TimeoutException("no LOAD DATA into big_db.big was seen");
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var target = await fx.Target.OpenAsync();
        await using var command = new MySqlCommand(sql, target);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
