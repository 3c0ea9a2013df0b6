using Dm.Binlog.Events;
using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;

namespace Dm.Worker.Sync.Reading;

/// <summary>
/// Where a run's binlog events come from (<see cref="BinlogClientSource"/> over the upstream; a scripted source in tests).
/// Each <see cref="ReadEventsAsync"/> is one connection, resuming where the events read so far end; it may throw or end
/// at any point, and <see cref="BinlogStream"/> decides whether to read again.
/// </summary>
internal interface IBinlogEventSource
{
    /// <summary>One connection's events, from where the last one left off.</summary>
    IAsyncEnumerable<BinlogEvent> ReadEventsAsync(CancellationToken cancellationToken);

    /// <summary>Where the next connection resumes (after the last event read).</summary>
    BinlogPosition Position { get; }

    /// <summary>The GTIDs executed up to the last event read (live: clone it to keep it); null when the binlog has none.</summary>
    GtidSet? ExecutedGtid { get; }
}
