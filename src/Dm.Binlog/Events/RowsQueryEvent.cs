namespace Dm.Binlog.Events;

/// <summary>ROWS_QUERY_LOG_EVENT (MySQL, binlog_rows_query_log_events): the statement behind the next rows events.</summary>
public sealed class RowsQueryEvent : BinlogEvent
{
    public string Query { get; init; } = "";
}
