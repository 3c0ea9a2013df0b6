namespace Dm.Binlog.Events;

/// <summary>XID_EVENT: commit of a transaction on a transactional engine.</summary>
public sealed class XidEvent : BinlogEvent
{
    public ulong Xid { get; init; }
}
