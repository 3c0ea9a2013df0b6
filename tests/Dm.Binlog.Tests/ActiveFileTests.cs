using Dm.Binlog.Events;
using Dm.Binlog.Files;
using Dm.TestKit;

namespace Dm.Binlog.Tests;

/// <summary>
/// The file a server is still writing carries LOG_EVENT_BINLOG_IN_USE_F in its FORMAT_DESCRIPTION, set after the
/// checksum was computed: reading it must not report a bad checksum.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class ActiveFileTests(MariaDbFixture fixture)
{
    [Fact]
    public async Task TheFileTheServerIsWritingReads()
    {
        var server = fixture.Server;
        await server.ExecuteAsync("FLUSH BINARY LOGS");
        await server.ExecuteAsync("CREATE DATABASE IF NOT EXISTS dm_binlog_active");
        var active = await BinlogReading.CurrentPositionAsync(server);
        var bytes = await File.ReadAllBytesAsync(Path.Combine(server.BinlogDirectory, active.FileName));
        Assert.Equal(1, bytes[4 + 17] & 1); // the FORMAT_DESCRIPTION says "in use"
        var path = Path.Combine(Path.GetTempPath(), "dm-binlog-active-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        var copy = Path.Combine(path, active.FileName);
        await File.WriteAllBytesAsync(copy, bytes);
        var events = new List<BinlogEvent>();
        await foreach (var ev in new BinlogFileReader(copy).ReadEventsAsync()) events.Add(ev);
        Assert.IsType<FormatDescriptionEvent>(events[0]);
        Assert.Contains(events, e => e is QueryEvent q && q.Query.Contains("dm_binlog_active"));
        Directory.Delete(path, recursive: true);
    }
}
