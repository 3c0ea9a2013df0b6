namespace Dm.Binlog;

/// <summary>
/// Bytes that do not follow the binlog or protocol format: truncated events, bad checksums,
/// lengths that point outside the event. The message names where (file and position) and what (event type).
/// </summary>
public sealed class BinlogFormatException : Exception
{
    public BinlogFormatException(string message) : base(message) { }

    public BinlogFormatException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Binlog file the bad bytes came from, when known.</summary>
    public string? LogFile { get; init; }

    /// <summary>Position of the event's first byte in <see cref="LogFile"/>, when known.</summary>
    public long? Position { get; init; }

    /// <summary>The event type being decoded, when known.</summary>
    public Events.BinlogEventType? EventType { get; init; }
}
