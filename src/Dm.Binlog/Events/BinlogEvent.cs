using Dm.Binlog.Replication;

namespace Dm.Binlog.Events;

/// <summary>A decoded binlog event. Subclasses carry the fields of their event type.</summary>
public abstract class BinlogEvent
{
    public BinlogEventHeader Header { get; internal set; }

    public BinlogEventType EventType => Header.EventType;

    /// <summary>
    /// Where to resume reading to get the events after this one (file and position). Set by the
    /// replication client and the file reader; default for events decoded on their own.
    /// </summary>
    public BinlogPosition ResumePosition { get; internal set; }

    public override string ToString() => $"{EventType} at {ResumePosition}";
}

/// <summary>An event this library does not decode, kept as raw bytes (never an error).</summary>
public sealed class RawEvent(ReadOnlyMemory<byte> body) : BinlogEvent
{
    /// <summary>The event's bytes after the common header, without the checksum.</summary>
    public ReadOnlyMemory<byte> Body { get; } = body;
}
