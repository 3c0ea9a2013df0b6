using Dm.Worker.Dump;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Tests;

/// <summary>
/// Pauses at random points and crashes. Loads run with on-duplicate "error": a chunk applied twice would fail
/// with a duplicate key, so finishing at all proves nothing was redone; the checksums prove nothing was missed.
/// </summary>
[Collection(FullCopyCollection.Name)]
public sealed class ResumeTests(SourceAndTargetFixture fx)
{
    [Fact]
    public async Task File_load_paused_at_random_points_resumes_to_exact_data()
    {
        await fx.ResetTargetAsync();
        var context = fx.Context("pause_file", streaming: false, adjust: c => c.Loader.OnDuplicateLogical = "error");
        var (dump, load) = FullCopyUnits.Create(context);
        await UnitDriver.RunToEndAsync(dump);
        var pauses = await UnitDriver.RunWithRandomPausesAsync(load, seed: 7, maxPauses: 5, minMs: 150, maxMs: 700);
        Assert.True(pauses >= 2, $"only {pauses} pauses hit the load");
        await fx.AssertMigratedAsync();
    }

    [Fact]
    public async Task Streaming_copy_paused_at_random_points_resumes_to_exact_data()
    {
        await fx.ResetTargetAsync();
        var (dump, load) = FullCopyUnits.Create(fx.Context("pause_stream", streaming: true, adjust: c => c.Loader.OnDuplicateLogical = "error"));
        var pauses = await UnitDriver.RunWithRandomPausesAsync(dump, seed: 11, maxPauses: 5, minMs: 200, maxMs: 900);
        Assert.True(pauses >= 2, $"only {pauses} pauses hit the copy");
        await UnitDriver.RunToEndAsync(load);
        await fx.AssertMigratedAsync();
    }

    [Fact]
    public async Task Streaming_copy_abandoned_mid_load_is_finished_by_fresh_units()
    {
        await fx.ResetTargetAsync();
        var context = fx.Context("crash_stream", streaming: true, adjust: c => c.Loader.OnDuplicateLogical = "error");
        var (dump, _) = FullCopyUnits.Create(context);
        await dump.InitAsync(CancellationToken.None);
        var abandoned = dump.ProcessAsync(CancellationToken.None);
        var before = await WaitForCheckpointsAsync("crash_stream", 4, abandoned);
        await KillClientConnectionsAsync();
        var crashed = await abandoned;
        Assert.Equal(UnitOutcome.Failed, crashed.Outcome);
        Assert.True(crashed.Resumable, crashed.Error?.Message);

        var (freshDump, freshLoad) = FullCopyUnits.Create(context);
        await UnitDriver.RunToEndAsync(freshDump);
        await UnitDriver.RunToEndAsync(freshLoad);
        await fx.AssertMigratedAsync();
        Assert.True(before < await CountCheckpointsAsync("crash_stream"));
    }

    [Fact]
    public async Task File_load_abandoned_mid_load_is_finished_by_a_fresh_unit()
    {
        await fx.ResetTargetAsync();
        var context = fx.Context("crash_file", streaming: false, adjust: c => c.Loader.OnDuplicateLogical = "error");
        var (dump, load) = FullCopyUnits.Create(context);
        await UnitDriver.RunToEndAsync(dump);
        await load.InitAsync(CancellationToken.None);
        var abandoned = load.ProcessAsync(CancellationToken.None);
        await WaitForCheckpointsAsync("crash_file", 4, abandoned);
        await KillClientConnectionsAsync();
        var killed = await abandoned;
        Assert.Equal(UnitOutcome.Failed, killed.Outcome);
        Assert.True(killed.Resumable, killed.Error?.Message);

        var (_, freshLoad) = FullCopyUnits.Create(context);
        await UnitDriver.RunToEndAsync(freshLoad);
        await fx.AssertMigratedAsync();
    }

    [Fact]
    public async Task Paused_file_dump_keeps_finished_chunk_files_when_the_source_did_not_change()
    {
        await fx.ResetTargetAsync();
        var context = fx.Context("dump_resume", streaming: false, adjust: c => { c.CleanDumpFile = false; c.Loader.OnDuplicateLogical = "ignore"; });
        var (dump, load) = FullCopyUnits.Create(context);
        await dump.InitAsync(CancellationToken.None);
        using (var cts = new CancellationTokenSource())
        {
            var run = dump.ProcessAsync(cts.Token);
            var finishedLog = Path.Combine(context.DumpDirectory, DumpFileNames.FinishedLog);
            while (!File.Exists(finishedLog) || File.ReadAllLines(finishedLog).Length < 5)
            {
                Assert.False(run.IsCompleted, "dump finished before it could be paused");
                await Task.Delay(5);
            }
            await cts.CancelAsync();
            Assert.Equal(UnitOutcome.Paused, (await run).Outcome);
        }
        var kept = new DumpDirectory(context.DumpDirectory).ReadFinished()
            .ToDictionary(id => id, id => File.GetLastWriteTimeUtc(Path.Combine(context.DumpDirectory, id)));
        Assert.NotEmpty(kept);
        Assert.False(File.Exists(Path.Combine(context.DumpDirectory, "metadata")));

        var (freshDump, _) = FullCopyUnits.Create(context);
        await UnitDriver.RunToEndAsync(freshDump);
        foreach (var (id, written) in kept)
            Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(context.DumpDirectory, id)));
        Assert.Null(freshDump.Metadata!.SafeModeExit);
        await UnitDriver.RunToEndAsync(load);
        await fx.AssertMigratedAsync();
        Assert.True(File.Exists(Path.Combine(context.DumpDirectory, "metadata")), "clean-dump-file: false keeps the dump");
        Directory.Delete(context.DumpDirectory, recursive: true);
    }

    [Theory]
    [InlineData("all")]
    [InlineData("full")]
    public async Task Streaming_copy_resumed_after_source_writes_mixes_snapshots_only_when_sync_follows(string mode)
    {
        await fx.ResetTargetAsync();
        var task = "mixed_" + mode;
        var context = fx.Context(task, streaming: true, adjust: c => c.Mode = mode);
        var (dump, _) = FullCopyUnits.Create(context);
        await dump.InitAsync(CancellationToken.None);
        using (var cts = new CancellationTokenSource())
        {
            var run = dump.ProcessAsync(cts.Token);
            await WaitForCheckpointsAsync(task, 3, run);
            await cts.CancelAsync();
            Assert.Equal(UnitOutcome.Paused, (await run).Outcome);
        }
        await fx.Source.ExecuteAsync("INSERT INTO route_src.plain VALUES (100, 'moved')");
        await fx.Source.ExecuteAsync("DELETE FROM route_src.plain WHERE id = 100");
        try
        {
            var (fresh, _) = FullCopyUnits.Create(context);
            await fresh.InitAsync(CancellationToken.None);
            var result = await fresh.ProcessAsync(CancellationToken.None);
            if (mode == "all")
            {
                // Sync replays from the first snapshot in safe mode up to the exit point: the copy converges.
                Assert.Equal(UnitOutcome.Finished, result.Outcome);
                Assert.NotNull(fresh.Metadata!.SafeModeExit);
                Assert.NotEqual(fresh.Metadata.Position, fresh.Metadata.SafeModeExit);
                await fx.AssertMigratedAsync();
            }
            else
            {
                // Without Sync nothing would repair a copy made of two points in time: refuse clearly.
                Assert.Equal(UnitOutcome.Failed, result.Outcome);
                Assert.Equal(34018, result.Error!.Code);
            }
        }
        finally
        {
            await fx.ResetTargetAsync();
        }
    }

    private async Task<long> WaitForCheckpointsAsync(string task, int count, Task running)
    {
        while (true)
        {
            Assert.False(running.IsCompleted, "the unit ended before it could be abandoned");
            var n = await CountCheckpointsAsync(task);
            if (n >= count) return n;
            await Task.Delay(5);
        }
    }

    private async Task<long> CountCheckpointsAsync(string task)
    {
        await using var target = await fx.Target.OpenAsync();
        await using var command = new MySqlCommand(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='dm_meta' AND TABLE_NAME=@t", target);
        command.Parameters.AddWithValue("@t", task + "_loader_checkpoint");
        if (Convert.ToInt64(await command.ExecuteScalarAsync()) == 0) return 0;
        command.CommandText = $"SELECT COUNT(*) FROM dm_meta.`{task}_loader_checkpoint`";
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private Task KillClientConnectionsAsync() => ClientSessions.KillAllAsync(fx.Source, fx.Target);
}
