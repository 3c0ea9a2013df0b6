namespace Dm.Binlog.Events;

/// <summary>
/// MySQL GTID_LOG_EVENT / ANONYMOUS_GTID_LOG_EVENT (MySQL source: libbinlogevents/include/control_events.h,
/// class Gtid_event): the GTID of the next transaction and its logical clock.
/// </summary>
public sealed class MySqlGtidEvent : BinlogEvent
{
    public byte Flags { get; init; }
    public Guid SourceId { get; init; }
    /// <summary>The source UUID as MySQL prints it (the 16 bytes in order, not .NET's GUID byte order).</summary>
    public string SourceUuid { get; init; } = "";
    public long TransactionNumber { get; init; }
    public long? LastCommitted { get; init; }
    public long? SequenceNumber { get; init; }
    public ulong? ImmediateCommitTimestamp { get; init; }
    public ulong? OriginalCommitTimestamp { get; init; }
    public ulong? TransactionLength { get; init; }
    public uint? ImmediateServerVersion { get; init; }
    public uint? OriginalServerVersion { get; init; }

    public bool IsAnonymous => EventType == BinlogEventType.AnonymousGtid;
    public string Gtid => $"{SourceUuid}:{TransactionNumber}";
}
