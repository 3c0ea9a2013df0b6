using Dm.Binlog.Gtid;

namespace Dm.Binlog.Events;

/// <summary>MySQL PREVIOUS_GTIDS_LOG_EVENT: the GTID set executed before this binlog file.</summary>
public sealed class PreviousGtidsEvent : BinlogEvent
{
    public MySqlGtidSet GtidSet { get; init; } = new();
}
