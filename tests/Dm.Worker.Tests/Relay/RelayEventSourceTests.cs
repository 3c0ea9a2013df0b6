using Dm.Binlog.Events;
using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;
using Dm.Core.Errors;
using Dm.Worker.Relay;

namespace Dm.Worker.Tests.Relay;

/// <summary>
/// Reading the relay log as Sync does, without a server: positions in DM's relay form, across files and into the next
/// sub-directory (where transactions already executed are passed over), waiting for the writer's signal at the end of
/// what was written, and never past the whole events the writer published.
/// </summary>
public sealed class RelayEventSourceTests() : RelayFilesTest("relayreader")
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ReadsAcrossFilesWithRelayPositionsAndWaitsForTheWriter()
    {
        var upstream = new UpstreamStream();
        upstream.Transaction();
        upstream.Rotate();
        upstream.Ddl();
        var (_, sub, log) = Open();
        var writer = new RelayWriter(sub, log, new BinlogPosition("mysql-bin.000001", 4), null);
        Write(writer, upstream.Take());

        using var reader = new RelayEventSource(log, log.ToRelayForm(new BinlogPosition("mysql-bin.000001", 4)), null, "test reader");
        await using var events = reader.ReadEventsAsync().GetAsyncEnumerator();
        var seen = await TakeAsync(events, e => e is QueryEvent { Query: "CREATE TABLE t (a INT)" });

        Assert.Equal("mysql-bin|000001.000001", seen[0].ResumePosition.FileName);
        Assert.Equal(new BinlogPosition("mysql-bin|000001.000002", 4), seen.OfType<RotateEvent>().Single().ResumePosition);
        Assert.Equal(new BinlogPosition("mysql-bin|000001.000002", upstream.Length), reader.Position);
        Assert.Equal("0-7-2", reader.ExecutedGtid?.ToString());
        // Purge sees the reader where it last started a read: never ahead of where it is.
        Assert.Contains(log.Readers(), r => r.Who == "test reader" && r.Position.CompareTo(reader.Position) <= 0);

        // Nothing more yet: the reader waits (no polling) until the writer publishes.
        var next = events.MoveNextAsync().AsTask();
        await Task.Delay(200);
        Assert.False(next.IsCompleted);
        upstream.Transaction();
        var more = upstream.Take();
        foreach (var ev in more.Take(2)) writer.Write(ev); // written to the buffer, not published: still nothing to read
        await Task.Delay(200);
        Assert.False(next.IsCompleted);
        writer.Flush();
        Assert.True(await next.WaitAsync(Timeout));
        Assert.IsType<MariaDbGtidEvent>(events.Current);
        Write(writer, more.Skip(2));
        await TakeAsync(events, e => e is XidEvent);
        Assert.Equal("0-7-3", reader.ExecutedGtid?.ToString());
        writer.Dispose();
    }

    [Fact]
    public async Task GoesOnIntoTheNextSubDirectoryPassingOverWhatWasExecuted()
    {
        // The first upstream server: three transactions. The second (after a failover) has them too, then a fourth.
        var first = new UpstreamStream();
        first.Transaction();
        first.Transaction();
        first.Transaction();
        var second = new UpstreamStream("mariadb-bin");
        for (var i = 0; i < 4; i++) second.Transaction(statements: 1);
        var (directory, sub, log) = Open();
        using (var writer = new RelayWriter(sub, log, new BinlogPosition("mysql-bin.000001", 4), null)) Write(writer, first.Take());

        using var reader = new RelayEventSource(log, new BinlogPosition(sub.RelayName("mysql-bin.000001"), 4), null, "sync");
        await using var events = reader.ReadEventsAsync().GetAsyncEnumerator();
        await TakeAsync(events, e => e is XidEvent && reader.ExecutedGtid?.ToString() == "0-7-3");

        var next = directory.Add("0-8");
        Assert.Equal("0-7.000001\n0-8.000002\n", File.ReadAllText(directory.IndexPath));
        using (var writer = new RelayWriter(next, log, new BinlogPosition("mariadb-bin.000001", 4), first.Executed)) Write(writer, second.Take());

        var rest = await TakeAsync(events, e => e is XidEvent);
        Assert.Equal("mariadb-bin|000002.000001", rest[0].ResumePosition.FileName);
        // Only the fourth transaction is yielded from the new server's file: 1 to 3 were executed already.
        Assert.Single(rest.OfType<MariaDbGtidEvent>(), g => g.Gtid.Sequence == 4);
        Assert.DoesNotContain(rest.OfType<MariaDbGtidEvent>(), g => g.Gtid.Sequence < 4);
        Assert.Equal("0-7-4", reader.ExecutedGtid?.ToString());
    }

    [Fact]
    public async Task AStartByGtidSetAloneReadsFromTheOldestFileAfterTheSet()
    {
        var upstream = new UpstreamStream();
        for (var i = 0; i < 5; i++) upstream.Transaction(statements: 1);
        var (_, sub, log) = Open();
        using (var writer = new RelayWriter(sub, log, new BinlogPosition("mysql-bin.000001", 4), null)) Write(writer, upstream.Take());

        using var reader = new RelayEventSource(log, null, MariaDbGtidList.Parse("0-7-3"), "sync");
        await using var events = reader.ReadEventsAsync().GetAsyncEnumerator();
        var seen = await TakeAsync(events, e => e is XidEvent && reader.ExecutedGtid?.ToString() == "0-7-5");
        Assert.Equal([4ul, 5ul], seen.OfType<MariaDbGtidEvent>().Select(g => g.Gtid.Sequence));
    }

    [Fact]
    public async Task AFileTheRelayNoLongerHasIsDmsNoRelayLogMatchPos()
    {
        var upstream = new UpstreamStream(firstFile: 5);
        upstream.Transaction();
        var (_, sub, log) = Open();
        using (var writer = new RelayWriter(sub, log, new BinlogPosition("mysql-bin.000005", 4), null)) Write(writer, upstream.Take());

        var error = Assert.Throws<DmException>(() => log.ToRelayForm(new BinlogPosition("mysql-bin.000003", 4)));
        Assert.Equal(DmErrors.ErrNoRelayLogMatchPos.Code, error.Code);
        using var reader = new RelayEventSource(log, new BinlogPosition(sub.RelayName("mysql-bin.000003"), 1234), null, "sync");
        var thrown = await Assert.ThrowsAsync<DmException>(async () => await reader.ReadEventsAsync().GetAsyncEnumerator().MoveNextAsync());
        Assert.Equal(DmErrors.ErrNoRelayLogMatchPos.Code, thrown.Code);
        // A later file than the relay has is not an error: it will come.
        Assert.Equal(sub.RelayName("mysql-bin.000009"), log.ToRelayForm(new BinlogPosition("mysql-bin.000009", 4)).FileName);
    }

    private static void Write(RelayWriter writer, IEnumerable<BinlogRawEvent> events)
    {
        foreach (var ev in events) writer.Write(ev);
        writer.Flush();
    }

    private static async Task<List<BinlogEvent>> TakeAsync(IAsyncEnumerator<BinlogEvent> events, Func<BinlogEvent, bool> last)
    {
        var seen = new List<BinlogEvent>();
        while (true)
        {
            Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Timeout), "the reader stopped");
            seen.Add(events.Current);
            if (last(events.Current)) return seen;
        }
    }
}
