using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Dm.Binlog.Events;
using Dm.Binlog.Gtid;
using Dm.Binlog.Protocol;
using Dm.Binlog.Replication;
using Dm.Core.Errors;
using Dm.Worker.Errors;
using Dm.Worker.Sync.Reading;
using Dm.Worker.Tests.Subtasks;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dm.Worker.Tests.Sync.Reading;

/// <summary>
/// The binlog stream's reconnect policy against a scripted event source: transient breaks and ended streams are read again
/// after a growing pause, an event read resets the count, too many breaks in a row or an error that is not transient stop
/// reading with the error's kind, and cancellation stops it as such.
/// </summary>
public sealed class BinlogStreamTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>A connection the server drops (as the client sees it).</summary>
    private static Exception Dropped() => new SocketException((int)SocketError.ConnectionReset);

    /// <summary>The server cannot send the binlog from the requested position (purged).</summary>
    private static Exception Purged() => new ServerErrorException(1236, "HY000", "Could not find first log file name in binary log index file");

    private static RotateEvent Event(long offset) => TableEvents.At(new RotateEvent(), new BinlogPosition("binlog.000001", offset));

    /// <summary>
    /// Each read is one connection following its script (events, then an exception or the end of the stream); reads past the
    /// scripts wait for events that never come, as on a quiet upstream.
    /// </summary>
    private sealed class ScriptedSource(params object[][] connections) : IBinlogEventSource
    {
        public int Reads { get; private set; }
        public int Closed { get; private set; }
        public BinlogPosition Position { get; private set; } = new("binlog.000001", 4);
        public GtidSet? ExecutedGtid { get; set; }

        public async IAsyncEnumerable<BinlogEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var script = Reads < connections.Length ? connections[Reads] : null;
            Reads++;
            try
            {
                if (script is null) await Task.Delay(Timeout.Infinite, cancellationToken);
                foreach (var step in script ?? [])
                {
                    await Task.Yield();
                    if (step is Exception e) throw e;
                    var ev = (BinlogEvent)step;
                    Position = ev.ResumePosition;
                    yield return ev;
                }
            }
            finally
            {
                Closed++;
            }
        }
    }

    /// <summary>Reads <paramref name="stream"/> in the background into a channel; the task ends as reading does.</summary>
    private static (ChannelReader<BinlogEvent> Events, Task Reading) Read(BinlogStream stream, CancellationToken cancellationToken)
    {
        var events = Channel.CreateUnbounded<BinlogEvent>();
        var reading = Task.Run(async () =>
        {
            await foreach (var ev in stream.ReadAsync(cancellationToken)) events.Writer.TryWrite(ev);
        }, CancellationToken.None);
        return (events.Reader, reading);
    }

    private static async Task<BinlogEvent> NextAsync(ChannelReader<BinlogEvent> events)
    {
        using var timeout = new CancellationTokenSource(Wait);
        return await events.ReadAsync(timeout.Token);
    }

    /// <summary>Waits for the stream's next pause, checks its length and lets it pass.</summary>
    private static async Task PauseAsync(ManualTimeProvider clock, int failuresInARow)
    {
        var timer = await clock.NextTimerAsync();
        Assert.Equal(BinlogStream.Backoff(failuresInARow), timer.DueTime);
        timer.Fire();
    }

    [Fact]
    public void The_pause_grows_by_a_quarter_second_per_break_up_to_ten_seconds()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(250), BinlogStream.Backoff(1));
        Assert.Equal(TimeSpan.FromMilliseconds(2500), BinlogStream.Backoff(10));
        Assert.Equal(TimeSpan.FromSeconds(10), BinlogStream.Backoff(40));
        Assert.Equal(TimeSpan.FromSeconds(10), BinlogStream.Backoff(400));
    }

    [Fact]
    public async Task Transient_breaks_and_ended_streams_are_read_again_and_an_event_resets_the_count()
    {
        var clock = new ManualTimeProvider();
        var source = new ScriptedSource([Event(100), Dropped()], [Dropped()], [], [Event(200), Event(300)]);
        using var cts = new CancellationTokenSource();
        var (events, reading) = Read(new BinlogStream(source, "task", NullLogger.Instance, clock), cts.Token);

        Assert.Equal(100, (await NextAsync(events)).ResumePosition.Position);
        await PauseAsync(clock, 1);
        await PauseAsync(clock, 2);
        await PauseAsync(clock, 3); // the upstream ended the stream: like a dropped connection
        Assert.Equal(200, (await NextAsync(events)).ResumePosition.Position);
        Assert.Equal(300, (await NextAsync(events)).ResumePosition.Position);
        await PauseAsync(clock, 1); // ended again, after events: counted from one
        Assert.False(reading.IsCompleted);
        Assert.Equal(5, source.Reads);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        Assert.Equal(5, source.Closed); // every connection was closed
    }

    [Fact]
    public async Task Too_many_transient_breaks_in_a_row_stop_reading_as_transient()
    {
        var clock = new ManualTimeProvider();
        var source = new ScriptedSource([.. Enumerable.Range(0, BinlogStream.MaxReconnects + 1).Select(_ => new object[] { Dropped() })]);
        var (_, reading) = Read(new BinlogStream(source, "task", NullLogger.Instance, clock), CancellationToken.None);

        for (var failures = 1; failures <= BinlogStream.MaxReconnects; failures++) await PauseAsync(clock, failures);
        var error = await Assert.ThrowsAsync<BinlogReadException>(() => reading);
        Assert.Equal(ErrorKind.Transient, error.Kind);
        Assert.Equal(DmErrors.ErrSyncerGetEvent.Code, error.Error.Code);
        Assert.IsType<SocketException>(error.Error.InnerException);
        Assert.Equal(BinlogStream.MaxReconnects + 1, source.Reads);
        Assert.False(clock.HasPendingTimer);
    }

    [Fact]
    public async Task An_upstream_that_keeps_ending_the_stream_stops_reading_as_transient()
    {
        var clock = new ManualTimeProvider();
        var source = new ScriptedSource([.. Enumerable.Range(0, BinlogStream.MaxReconnects + 1).Select(_ => Array.Empty<object>())]);
        var (_, reading) = Read(new BinlogStream(source, "task", NullLogger.Instance, clock), CancellationToken.None);

        for (var failures = 1; failures <= BinlogStream.MaxReconnects; failures++) await PauseAsync(clock, failures);
        var error = await Assert.ThrowsAsync<BinlogReadException>(() => reading);
        Assert.Equal(ErrorKind.Transient, error.Kind);
        Assert.Equal(DmErrors.ErrSyncerGetEvent.Code, error.Error.Code);
        Assert.Contains("keeps ending the binlog stream", error.Message);
    }

    [Fact]
    public async Task An_error_that_is_not_transient_stops_reading_at_once()
    {
        var clock = new ManualTimeProvider();
        var source = new ScriptedSource([Event(100), Purged()], [Event(200)]);
        var (events, reading) = Read(new BinlogStream(source, "task", NullLogger.Instance, clock), CancellationToken.None);

        Assert.Equal(100, (await NextAsync(events)).ResumePosition.Position);
        var error = await Assert.ThrowsAsync<BinlogReadException>(() => reading);
        Assert.Equal(ErrorKind.NeedsUser, error.Kind);
        Assert.Equal(DmErrors.ErrSyncerGetEvent.Code, error.Error.Code);
        Assert.Contains("purged", error.Message);
        Assert.Equal(1, source.Reads);
        Assert.Equal(1, source.Closed);
        Assert.False(clock.HasPendingTimer);
    }

    [Fact]
    public async Task Cancelling_during_a_pause_stops_reading_as_cancelled()
    {
        var clock = new ManualTimeProvider();
        var source = new ScriptedSource([Dropped()]);
        using var cts = new CancellationTokenSource();
        var (_, reading) = Read(new BinlogStream(source, "task", NullLogger.Instance, clock), cts.Token);

        var pause = await clock.NextTimerAsync();
        Assert.Equal(BinlogStream.Backoff(1), pause.DueTime);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        Assert.Equal(1, source.Reads);
    }

    [Fact]
    public async Task A_reader_that_stops_on_its_own_error_closes_the_connection_and_sees_its_error()
    {
        var source = new ScriptedSource([Event(100), Event(200)]);
        var stream = new BinlogStream(source, "task", NullLogger.Instance, new ManualTimeProvider());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var ev in stream.ReadAsync(CancellationToken.None)) throw new InvalidOperationException($"refused {ev.ResumePosition}");
        });
        Assert.Equal("refused binlog.000001:100", error.Message);
        Assert.Equal(1, source.Closed);
    }

    [Fact]
    public void A_location_after_an_event_keeps_a_copy_of_the_gtids_executed_so_far()
    {
        var executed = GtidSet.ParseEither("0-1-5")!;
        var source = new ScriptedSource { ExecutedGtid = executed };
        var stream = new BinlogStream(source, "task", NullLogger.Instance, TimeProvider.System);
        var location = stream.LocationAfter(Event(900));
        Assert.Equal(new BinlogPosition("binlog.000001", 900), location.Position);
        Assert.Equal("0-1-5", location.GtidText);
        Assert.NotSame(executed, location.GtidSet);
        Assert.Null(new BinlogStream(new ScriptedSource(), "task", NullLogger.Instance, TimeProvider.System).LocationAfter(Event(900)).GtidSet);
    }
}
