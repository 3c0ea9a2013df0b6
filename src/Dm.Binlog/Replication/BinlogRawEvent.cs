using Dm.Binlog.Events;

namespace Dm.Binlog.Replication;

/// <summary>
/// One event as the source sent it, for copying it elsewhere unchanged (DM's relay log): the whole event from the common
/// header to the checksum (checked), its header, the decoded event when it is one that moves positions, GTIDs or
/// transactions (<see cref="IsDecoded"/>), and where to resume after it. Rows, table maps and the rest stay bytes.
/// </summary>
/// <param name="Bytes">The event's bytes, header to checksum.</param>
/// <param name="Header">Its common header.</param>
/// <param name="Decoded">The event decoded, for the types <see cref="IsDecoded"/> names; null for the others.</param>
/// <param name="ResumePosition">Where the events after this one start.</param>
public readonly record struct BinlogRawEvent(ReadOnlyMemory<byte> Bytes, BinlogEventHeader Header, BinlogEvent? Decoded, BinlogPosition ResumePosition)
{
    public BinlogEventType EventType => Header.EventType;

    /// <summary>
    /// The event types a raw stream decodes: those a binlog copy and its GTID bookkeeping need (file switches, the format,
    /// GTIDs and the statements and XIDs that open and close transactions), none of the row data.
    /// </summary>
    public static bool IsDecoded(BinlogEventType type) => type is BinlogEventType.Rotate or BinlogEventType.FormatDescription
        or BinlogEventType.Query or BinlogEventType.MariaDbQueryCompressed or BinlogEventType.Xid or BinlogEventType.Stop
        or BinlogEventType.Heartbeat or BinlogEventType.MariaDbGtid or BinlogEventType.MariaDbGtidList or BinlogEventType.Gtid
        or BinlogEventType.AnonymousGtid or BinlogEventType.PreviousGtids or BinlogEventType.TransactionPayload;
}
