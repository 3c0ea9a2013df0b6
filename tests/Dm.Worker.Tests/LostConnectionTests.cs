using Dm.Core.Upstream;
using Dm.Worker.Dump;
using Dm.Worker.Units;

namespace Dm.Worker.Tests;

/// <summary>
/// A dump or load whose database connection is cut under it must fail as a resumable error (DM's ErrDBBadConn),
/// so auto-resume retries it; and the retry must then finish the copy exactly.
/// </summary>
[Collection(FullCopyCollection.Name)]
public sealed class LostConnectionTests(SourceAndTargetFixture fx)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Dump_whose_source_connection_is_cut_mid_result_fails_resumable_and_a_retry_finishes(bool reset)
    {
        await fx.ResetTargetAsync();
        await using var proxy = new CuttableProxy(fx.Source.Host, fx.Source.Port);
        var context = fx.Context("cut_dump_" + reset, streaming: false, adjust: c => c.Mydumper.Threads = 2);
        var cut = context with { Source = new DatabaseEndpoint("127.0.0.1", proxy.Port, fx.Source.User, fx.Source.Password) };
        var (dump, _) = FullCopyUnits.Create(cut);
        await dump.InitAsync(CancellationToken.None);
        var run = dump.ProcessAsync(CancellationToken.None);
        // Cut while rows stream in: a part of the dump is written, the rest is not.
        var finishedLog = Path.Combine(context.DumpDirectory, DumpFileNames.FinishedLog);
        while (!File.Exists(finishedLog) || File.ReadAllLines(finishedLog).Length < 2)
        {
            Assert.False(run.IsCompleted, "dump finished before the cut");
            await Task.Delay(2);
        }
        proxy.CutAll(reset);
        var result = await run;

        Assert.Equal(UnitOutcome.Failed, result.Outcome);
        Assert.True(result.Resumable, result.Error?.Message);
        Assert.Equal(10002, result.Error!.Code);
        // What the driver saw depends on where the cut hit (mid-packet, between packets, or on a socket already shut down:
        // ENOTCONN, 2 runs in 12 here); each is a lost connection.
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(result.Error.Message,
                "reset by peer|incomplete response|Broken pipe|Failed to read|Transport endpoint is not connected"),
            result.Error.Message); // the whole message when it fails (Assert.Matches cuts it short)
        if (reset)
        {
            Directory.Delete(context.DumpDirectory, recursive: true);
            return; // the retry below is the same for both kinds of cut; run it once
        }

        var (retry, load) = FullCopyUnits.Create(context);
        await UnitDriver.RunToEndAsync(retry);
        await UnitDriver.RunToEndAsync(load);
        await fx.AssertMigratedAsync();
    }

    [Fact]
    public async Task Load_whose_target_connection_is_cut_mid_chunk_fails_resumable_and_a_retry_finishes()
    {
        await fx.ResetTargetAsync();
        await using var proxy = new CuttableProxy(fx.Target.Host, fx.Target.Port);
        var context = fx.Context("cut_load", streaming: false, adjust: c => c.Loader.OnDuplicateLogical = "error");
        var (dump, _) = FullCopyUnits.Create(context);
        await UnitDriver.RunToEndAsync(dump);
        var cut = context with { Target = new DatabaseEndpoint("127.0.0.1", proxy.Port, fx.Target.User, fx.Target.Password) };
        var (_, load) = FullCopyUnits.Create(cut);
        await load.InitAsync(CancellationToken.None);
        var run = load.ProcessAsync(CancellationToken.None);
        while (((Dm.Core.Api.LoadStatus)load.Status()).FinishedBytes == 0)
        {
            if (run.IsCompleted)
                Assert.Fail($"load ended before the cut: {(await run).Outcome} {(await run).Error?.Message}");
            await Task.Delay(2);
        }
        proxy.CutAll();
        var result = await run;

        Assert.Equal(UnitOutcome.Failed, result.Outcome);
        Assert.True(result.Resumable, result.Error?.Message);

        var (_, retry) = FullCopyUnits.Create(context);
        await UnitDriver.RunToEndAsync(retry);
        await fx.AssertMigratedAsync();
    }

    [Fact]
    public async Task Streaming_copy_cut_on_both_ends_fails_resumable()
    {
        await fx.ResetTargetAsync();
        await using var sourceProxy = new CuttableProxy(fx.Source.Host, fx.Source.Port);
        var context = fx.Context("cut_stream", streaming: true, adjust: c => c.Loader.OnDuplicateLogical = "error");
        var cut = context with { Source = new DatabaseEndpoint("127.0.0.1", sourceProxy.Port, fx.Source.User, fx.Source.Password) };
        var (dump, streamedLoad) = FullCopyUnits.Create(cut);
        await dump.InitAsync(CancellationToken.None);
        var run = dump.ProcessAsync(CancellationToken.None);
        while (((Dm.Core.Api.LoadStatus)streamedLoad.Status()).FinishedBytes == 0)
        {
            Assert.False(run.IsCompleted, "copy finished before the cut");
            await Task.Delay(2);
        }
        sourceProxy.CutAll();
        var result = await run;
        Assert.Equal(UnitOutcome.Failed, result.Outcome);
        Assert.True(result.Resumable, result.Error?.Message);

        var (retry, load) = FullCopyUnits.Create(context);
        await UnitDriver.RunToEndAsync(retry);
        await UnitDriver.RunToEndAsync(load);
        await fx.AssertMigratedAsync();
    }
}
