namespace Dm.Binlog.Events;

/// <summary>HEARTBEAT_LOG_EVENT: sent by the source when idle for the heartbeat period; never in a file.</summary>
public sealed class HeartbeatEvent : BinlogEvent
{
    /// <summary>The source's current binlog file.</summary>
    public string LogFileName { get; init; } = "";
}
