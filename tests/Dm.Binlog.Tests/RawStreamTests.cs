using Dm.Binlog.Events;
using Dm.Binlog.Files;
using Dm.Binlog.Replication;
using Dm.TestKit;

namespace Dm.Binlog.Tests;

/// <summary>
/// The raw stream (events as the source sent them, for a copy) and the follower of a growing file, against a real
/// MariaDB: the raw bytes are the file's bytes at the positions the headers give, positions and GTIDs follow as on the
/// decoded stream, and the follower reads a file piece by piece with DM's relay positions, refusing a torn tail.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class RawStreamTests(MariaDbFixture fixture)
{
    private MariaDbServer Server => fixture.Server;

    [Fact]
    public async Task RawEventsAreTheFilesBytesAndTrackPositionsAndGtids()
    {
        var start = await WriteClosedFileAsync("raw", 10, i => $"({i}, REPEAT('r', {i * 100}))");

        var client = new BinlogClient(BinlogReading.Options(Server) with { StartPosition = start with { Position = 4 }, StopAtEnd = true });
        var raw = new List<BinlogRawEvent>();
        await foreach (var ev in client.ReadRawEventsAsync()) raw.Add(ev);
        var file = await File.ReadAllBytesAsync(Path.Combine(Server.BinlogDirectory, start.FileName));
        var inFile = raw.Where(e => !e.Header.IsArtificial && e.Header.NextPosition != 0).ToList();
        inFile = inFile.Take(inFile.FindIndex(e => e.EventType == BinlogEventType.Rotate) + 1).ToList();
        Assert.Equal(BinlogEventType.FormatDescription, inFile[0].EventType);
        foreach (var ev in inFile.Skip(1))
        {
            var at = (int)(ev.Header.NextPosition - ev.Header.EventSize);
            Assert.True(ev.Bytes.Span.SequenceEqual(file.AsSpan(at, (int)ev.Header.EventSize)), $"{ev.EventType} at {at}");
        }
        Assert.All(raw.Where(e => e.EventType is BinlogEventType.WriteRowsV1 or BinlogEventType.TableMap), e => Assert.Null(e.Decoded));
        Assert.All(raw.Where(e => e.EventType is BinlogEventType.Xid or BinlogEventType.MariaDbGtid or BinlogEventType.Rotate), e => Assert.NotNull(e.Decoded));
        Assert.Equal(10, raw.Count(e => e.EventType == BinlogEventType.Xid));

        // The decoded stream agrees on every position and on the GTIDs executed.
        var decoded = new BinlogClient(BinlogReading.Options(Server) with { StartPosition = start with { Position = 4 }, StopAtEnd = true });
        var positions = new List<BinlogPosition>();
        await foreach (var ev in decoded.ReadEventsAsync()) positions.Add(ev.ResumePosition);
        // Each read stops at the end of the log as it then is: the server may have written more in between (the shared
        // server's other tests), so the two agree on what both read, which covers at least the closed file.
        var both = Math.Min(positions.Count, raw.Count);
        Assert.True(both >= inFile.Count, $"the reads share {both} events, fewer than the closed file's {inFile.Count}");
        Assert.Equal(positions.Take(both), raw.Take(both).Select(e => e.ResumePosition));
        if (positions.Count == raw.Count)
        {
            Assert.Equal(decoded.ExecutedGtid?.ToString(), client.ExecutedGtid?.ToString());
            Assert.Equal(decoded.Position, client.Position);
        }
    }

    [Fact]
    public async Task TheFollowerReadsAGrowingFileInPiecesWithRelayPositionsAndRefusesATornTail()
    {
        var start = await WriteClosedFileAsync("follow", 5, i => $"({i}, '')");
        var whole = await File.ReadAllBytesAsync(Path.Combine(Server.BinlogDirectory, start.FileName));
        var expected = new BinlogFileReader(Path.Combine(Server.BinlogDirectory, start.FileName)).ReadEvents().ToList();

        // A copy written in pieces, each a whole number of events, read as the pieces arrive.
        var dir = ScratchDirectory.Create("follower");
        try
        {
            var copy = Path.Combine(dir, start.FileName);
            var relayName = BinlogFileName.Parse(start.FileName).WithRelaySuffix(1).Name;
            var ends = expected.Select(e => (int)(e.Header.NextPosition != 0 && e is not RotateEvent ? e.ResumePosition.Position : whole.Length)).ToList();
            await File.WriteAllBytesAsync(copy, whole[..ends[0]]);
            using var follower = new BinlogFileFollower(copy, new BinlogEventDecoder(), 4, relayName);
            var read = new List<BinlogEvent>();
            for (var piece = 0; piece < ends.Count; piece += 3)
            {
                var end = ends[Math.Min(piece + 2, ends.Count - 1)];
                await File.WriteAllBytesAsync(copy, whole[..end]);
                read.AddRange(follower.ReadTo(end));
                Assert.Equal(end, follower.Position);
            }
            Assert.Equal(expected.Select(e => (e.EventType, e.Header.NextPosition)), read.Select(e => (e.EventType, e.Header.NextPosition)));
            Assert.All(read.Take(read.Count - 1), e => Assert.Equal(relayName, e.ResumePosition.FileName));
            Assert.Equal(new BinlogPosition(BinlogFileName.Parse(((RotateEvent)read[^1]).NextFileName).WithRelaySuffix(1).Name, 4), read[^1].ResumePosition);

            // Starting later reads the FORMAT_DESCRIPTION first (the checksum) and goes on from there; bytes short of an event are refused.
            using var later = new BinlogFileFollower(copy, new BinlogEventDecoder(), ends[3]);
            Assert.Equal(expected.Skip(4).Select(e => e.ResumePosition), later.ReadTo(whole.Length).Select(e => e.ResumePosition));
            await File.WriteAllBytesAsync(copy, whole[..(ends[5] + 10)]);
            using var torn = new BinlogFileFollower(copy, new BinlogEventDecoder(), ends[5]);
            var error = Assert.Throws<BinlogFormatException>(() => torn.ReadTo(ends[5] + 10).ToList());
            Assert.Equal(ends[5], error.Position);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A binlog file of its own holding <paramref name="rows"/> inserts into a fresh table, closed; where it starts.</summary>
    private async Task<BinlogPosition> WriteClosedFileAsync(string table, int rows, Func<int, string> values)
    {
        await Server.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS dm_binlog_test; DROP TABLE IF EXISTS dm_binlog_test.{table}; " +
                                  $"CREATE TABLE dm_binlog_test.{table} (id INT PRIMARY KEY, v TEXT)");
        await Server.ExecuteAsync("FLUSH BINARY LOGS");
        var start = await BinlogReading.CurrentPositionAsync(Server);
        for (var i = 1; i <= rows; i++) await Server.ExecuteAsync($"INSERT INTO dm_binlog_test.{table} VALUES {values(i)}");
        await Server.ExecuteAsync("FLUSH BINARY LOGS");
        return start;
    }
}
