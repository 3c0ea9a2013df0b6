using Dm.Binlog.Files;
using Dm.Core.Api;
using Dm.Worker.Relay;
using Dm.Worker.Tests.Sync;

namespace Dm.Worker.Tests.Relay;

/// <summary>
/// A relay unit pulling a real MariaDB onto a disk that fills up: it pauses with DM's 30025 naming the file, which holds
/// whole events only (the upstream's bytes up to the last one that fit); once there is space again it goes on by itself
/// and its file equals the upstream's byte for byte.
/// </summary>
[Collection(SyncCollection.Name)]
public sealed class RelayFullDiskTests(SyncServersFixture servers) : RelayFilesTest("relayfull")
{
    private long _quota = long.MaxValue;

    [Fact]
    public async Task AFullDiskPausesTheRelayWithTheFileWholeAndItGoesOnWhenThereIsSpace()
    {
        var upstream = servers.Source;
        await upstream.ExecuteAsync("FLUSH BINARY LOGS");
        var file = (await servers.MasterPositionAsync()).BinlogName;
        await upstream.ExecuteAsync("DROP DATABASE IF EXISTS relay_full; CREATE DATABASE relay_full; CREATE TABLE relay_full.t (id INT PRIMARY KEY, pad VARCHAR(600))");
        for (var i = 0; i < 5; i++) await upstream.ExecuteAsync($"INSERT INTO relay_full.t VALUES ({i}, REPEAT('x', 500))");

        var log = new RelayLog(RelayDirectory.Open(Dir), Dm.Binlog.Gtid.GtidFlavor.MariaDb);
        await using var unit = LiveRelayUnit.Start(upstream, log, "relay-full", file,
            openFile: path => new QuotaFileStream(path, () => Interlocked.Read(ref _quota)));
        await LiveRelayUnit.WaitForAsync(() => unit.Status() is { Error: null, Status.RelayCatchUpMaster: true }, "the relay to catch up");
        var relayFile = Path.Combine(log.Directory.Current!.Path, file);
        var before = new FileInfo(relayFile).Length;

        // The disk has room for 3000 bytes more; the upstream writes four times that, a row at a time.
        Interlocked.Exchange(ref _quota, before + 3000);
        for (var i = 5; i < 25; i++) await upstream.ExecuteAsync($"INSERT INTO relay_full.t VALUES ({i}, REPEAT('x', 500))");
        string? error = null;
        await LiveRelayUnit.WaitForAsync(() => (error = unit.Status().Error) is not null, "the relay to stop on the full disk");
        Assert.True(error!.Contains("code=30025"), error);
        Assert.Contains("no space left", error, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(relayFile, error);
        Assert.Equal(nameof(TaskStage.Paused), unit.Status().Status.Stage);
        // What is on disk is whole events: the reader ends exactly at the file's end, and the bytes are the upstream's.
        var kept = await File.ReadAllBytesAsync(relayFile);
        Assert.InRange(kept.Length, before, before + 3000);
        Assert.Equal(kept.Length, new BinlogFileReader(relayFile).ReadEvents().Last().ResumePosition.Position);
        var upstreamFile = Path.Combine(upstream.BinlogDirectory, file);
        var upstreamBytes = await File.ReadAllBytesAsync(upstreamFile);
        upstreamBytes[4 + 17] &= 0xFE; // the upstream's current file is flagged in use in its FORMAT_DESCRIPTION; a replica's copy is not
        Assert.Equal(upstreamBytes[..kept.Length], kept);

        // Space again: the relay resumes after its backoff, on its own, and catches up; the file, once the upstream has
        // closed it, is the upstream's byte for byte.
        Interlocked.Exchange(ref _quota, long.MaxValue);
        await upstream.ExecuteAsync("FLUSH BINARY LOGS");
        await LiveRelayUnit.WaitForAsync(() => unit.Status() is { Error: null, Status: { Stage: "Running", RelayCatchUpMaster: true } }
                                 && unit.Status().Status.MasterBinlog != "" && !unit.Status().Status.MasterBinlog.Contains(file),
            "the relay to resume and catch up");
        Assert.Equal(await File.ReadAllBytesAsync(upstreamFile), await File.ReadAllBytesAsync(relayFile));
    }
}
