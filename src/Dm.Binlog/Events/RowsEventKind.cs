namespace Dm.Binlog.Events;

public enum RowsEventKind
{
    Write,
    Update,
    Delete,
    /// <summary>MySQL PARTIAL_UPDATE_ROWS_EVENT: an update whose JSON columns may hold JSON diffs.</summary>
    PartialUpdate,
}
