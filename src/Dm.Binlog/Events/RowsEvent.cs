using Dm.Binlog.Protocol;
using Dm.Binlog.Rows;

namespace Dm.Binlog.Events;

/// <summary>
/// WRITE/UPDATE/DELETE_ROWS v1 and v2, MariaDB's compressed variants and MySQL's PARTIAL_UPDATE_ROWS
/// (MySQL source: libbinlogevents/include/rows_event.h, class Rows_event). Rows are located on first
/// access to <see cref="Rows"/>; column values are decoded on demand.
/// </summary>
public sealed class RowsEvent : BinlogEvent
{
    private readonly ReadOnlyMemory<byte> _rowData;
    private IReadOnlyList<RowChange>? _rows;

    internal RowsEvent(RowsEventKind kind, ulong tableId, ushort flags, TableMapEvent? table, int columnCount,
        ReadOnlyMemory<byte> columnsPresent, ReadOnlyMemory<byte> columnsPresentAfter, ReadOnlyMemory<byte> rowData, string? logFile, long position)
    {
        Kind = kind;
        TableId = tableId;
        Flags = flags;
        Table = table;
        ColumnCount = columnCount;
        ColumnsPresent = columnsPresent;
        ColumnsPresentAfter = columnsPresentAfter;
        _rowData = rowData;
        _logFile = logFile;
        _position = position;
    }

    public RowsEventKind Kind { get; }
    public ulong TableId { get; }
    public ushort Flags { get; }

    /// <summary>The TABLE_MAP this event refers to; null when it was not seen (reading started mid-transaction).</summary>
    public TableMapEvent? Table { get; }

    public int ColumnCount { get; }
    /// <summary>Bitmap of the columns in the (before) images, bit i for column i.</summary>
    public ReadOnlyMemory<byte> ColumnsPresent { get; }

    /// <summary>Bitmap of the columns in the after images of updates (empty otherwise).</summary>
    public ReadOnlyMemory<byte> ColumnsPresentAfter { get; }

    /// <summary>STMT_END_F: the last rows event of its statement.</summary>
    public bool IsStatementEnd => (Flags & 1) != 0;

    /// <summary>The undecoded row images.</summary>
    public ReadOnlyMemory<byte> RowData => _rowData;

    private readonly string? _logFile;
    private readonly long _position;

    /// <summary>"at file:position" for error messages (built only when needed).</summary>
    internal string Where => Context.Where;

    /// <summary>What error messages about this event name.</summary>
    internal RowsEventContext Context => _context ??= new(EventType, _logFile, _position, Table, TableId);

    private RowsEventContext? _context;

    public IReadOnlyList<RowChange> Rows => _rows ??= RowsParser.Parse(this, _rowData.Span);

    /// <summary>
    /// The rows without an object per row or value: <c>var r = ev.ReadRows(); while (r.MoveNext()) r.After.Read(i, out var v);</c>
    /// (views valid until the next MoveNext). <see cref="Rows"/> is the convenient path over the same bytes.
    /// </summary>
    public RowsReader ReadRows() => ReadRows(default);

    /// <summary>
    /// <see cref="ReadRows()"/> with caller-provided room for the column offsets (2 × <see cref="ColumnCount"/> ints,
    /// e.g. stackalloc), so that not even one array per event is allocated; a smaller span is not used.
    /// </summary>
    public RowsReader ReadRows(Span<int> scratch) =>
        new(Context, Table, Kind, ColumnsPresent.Span, ColumnsPresentAfter.Span, _rowData.Span, scratch);

    /// <summary>Locates every column of every row (what <see cref="Rows"/> does) without building row objects; returns the row count.</summary>
    public int CountRows() => RowsParser.Count(this, _rowData.Span);

    internal static RowsEvent Parse(BinlogEventType type, ReadOnlyMemory<byte> body, int postHeaderLength,
        Func<ulong, TableMapEvent?> tables, string? logFile, long position)
    {
        var layout = RowsEventLayout.Read(type, body.Span, postHeaderLength);
        var present = body.Slice(layout.PresentOffset, layout.BitmapLength);
        var presentAfter = layout.PresentAfterOffset < 0 ? ReadOnlyMemory<byte>.Empty : body.Slice(layout.PresentAfterOffset, layout.BitmapLength);
        var rowData = body[layout.RowDataOffset..];
        if (layout.IsCompressed) rowData = MariaDbCompression.Decompress(rowData.Span);
        var table = tables(layout.TableId);
        layout.CheckTable(table);
        return new RowsEvent(layout.Kind, layout.TableId, layout.Flags, table, layout.ColumnCount, present, presentAfter, rowData, logFile, position);
    }
}
