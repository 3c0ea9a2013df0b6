using Dm.Binlog.Events;
using Dm.Binlog.Gtid;

namespace Dm.Binlog.Replication;

/// <summary>
/// A stream of a source's binlog events as a replicator reads it: from the source itself (<see cref="BinlogClient"/>) or
/// from a local copy (DM's relay log). Each event's <see cref="BinlogEvent.ResumePosition"/> is where the events after
/// it start; a failed enumeration is enumerated again to continue exactly after the last event yielded.
/// </summary>
public interface IBinlogEventSource
{
    /// <summary>Events after the last one yielded, until cancelled or the stream fails.</summary>
    IAsyncEnumerable<BinlogEvent> ReadEventsAsync(CancellationToken cancellationToken = default);

    /// <summary>Where the events after the last one yielded start.</summary>
    BinlogPosition Position { get; }

    /// <summary>The GTIDs executed up to the last complete transaction yielded; null while none is known.</summary>
    GtidSet? ExecutedGtid { get; }

    /// <summary>Whether the last event yielded is inside a transaction.</summary>
    bool InTransaction { get; }
}
