using Dm.Binlog.Events;

namespace Dm.Binlog.Rows;

/// <summary>
/// What error messages about a rows event name (its type, file position and table), carried by value so that
/// the row readers need no event object: the allocation-free view path has none.
/// </summary>
internal readonly record struct RowsEventContext(BinlogEventType EventType, string? LogFile, long Position, TableMapEvent? Table, ulong TableId)
{
    /// <summary>"at file:position" (built only when an error needs it).</summary>
    public string Where => Position >= 0 ? $"at {LogFile ?? "?"}:{Position}" : $"in {LogFile ?? "?"}";

    /// <summary>"WRITE_ROWS at file:pos on db.table".</summary>
    public string Describe() => $"{EventType} {Where} on {Table?.Database}.{Table?.Table}";

    /// <summary>The table's columns, or a clear error when its TABLE_MAP was not seen.</summary>
    public ColumnDefinition[] RequireColumns() =>
        Table?.Columns ?? throw new BinlogFormatException(
            $"{EventType} {Where}: no TABLE_MAP seen for table id {TableId} (reading started inside a transaction?)")
        {
            EventType = EventType,
        };
}
