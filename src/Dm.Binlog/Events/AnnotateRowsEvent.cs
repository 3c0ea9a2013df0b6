namespace Dm.Binlog.Events;

/// <summary>MariaDB ANNOTATE_ROWS_EVENT (binlog_annotate_row_events): the statement behind the next rows events.</summary>
public sealed class AnnotateRowsEvent : BinlogEvent
{
    public string Query { get; init; } = "";
}
