using Dm.Binlog.Events;

namespace Dm.Binlog.Rows;

/// <summary>
/// What error messages about a rows event name (its type, file position and table). The row readers carry a
/// reference to it, not the event: a <see cref="RowsEvent"/> has its own; the view path
/// (<see cref="RowsEventView"/>) reuses one per decoder, set anew by each <see cref="BinlogEventView.AsRows"/>
/// (so errors name the event whose rows are being read, as long as views are used until the next event only).
/// </summary>
internal sealed class RowsEventContext
{
    public RowsEventContext()
    {
    }

    public RowsEventContext(BinlogEventType eventType, string? logFile, long position, TableMapEvent? table, ulong tableId) =>
        Set(eventType, logFile, position, table, tableId);

    public BinlogEventType EventType { get; private set; }
    public string? LogFile { get; private set; }
    public long Position { get; private set; }
    public TableMapEvent? Table { get; private set; }
    public ulong TableId { get; private set; }

    public void Set(BinlogEventType eventType, string? logFile, long position, TableMapEvent? table, ulong tableId)
    {
        EventType = eventType;
        Position = position;
        TableId = tableId;
        // Set once per event on the view path: references stored only when they change (no GC write barrier).
        if (!ReferenceEquals(LogFile, logFile)) LogFile = logFile;
        if (!ReferenceEquals(Table, table)) Table = table;
    }

    /// <summary>"at file:position" (built only when an error needs it).</summary>
    public string Where => Position >= 0 ? $"at {LogFile ?? "?"}:{Position}" : $"in {LogFile ?? "?"}";

    /// <summary>"WRITE_ROWS at file:pos on db.table".</summary>
    public string Describe() => $"{EventType} {Where} on {Table?.Database}.{Table?.Table}";

    /// <summary>The table's columns, or a clear error when its TABLE_MAP was not seen.</summary>
    public static ColumnDefinition[] RequireColumns(TableMapEvent? table, BinlogEventType eventType, string where, ulong tableId) =>
        table?.Columns ?? throw new BinlogFormatException(
            $"{eventType} {where}: no TABLE_MAP seen for table id {tableId} (reading started inside a transaction?)")
        {
            EventType = eventType,
        };
}
