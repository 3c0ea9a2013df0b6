namespace Dm.Binlog.Events;

/// <summary>STOP_EVENT: the server stopped; written at the end of a binlog file.</summary>
public sealed class StopEvent : BinlogEvent;
