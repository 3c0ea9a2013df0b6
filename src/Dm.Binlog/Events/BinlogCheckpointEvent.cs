namespace Dm.Binlog.Events;

/// <summary>MariaDB BINLOG_CHECKPOINT_EVENT: the oldest binlog file still needed for crash recovery.</summary>
public sealed class BinlogCheckpointEvent : BinlogEvent
{
    public string FileName { get; init; } = "";
}
