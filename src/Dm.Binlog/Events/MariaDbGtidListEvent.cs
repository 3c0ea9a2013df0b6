using Dm.Binlog.Gtid;

namespace Dm.Binlog.Events;

/// <summary>MariaDB GTID_LIST_EVENT: at the start of each binlog file, the last GTID of every domain before it.</summary>
public sealed class MariaDbGtidListEvent : BinlogEvent
{
    public IReadOnlyList<MariaDbGtid> Gtids { get; init; } = [];
    public byte ListFlags { get; init; }
}
