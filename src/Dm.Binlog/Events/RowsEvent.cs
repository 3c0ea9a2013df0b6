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
    internal string Where => _position >= 0 ? $"at {_logFile ?? "?"}:{_position}" : $"in {_logFile ?? "?"}";

    public IReadOnlyList<RowChange> Rows => _rows ??= RowsParser.Parse(this, _rowData.Span);

    /// <summary>
    /// The rows without an object per row or value: <c>var r = ev.ReadRows(); while (r.MoveNext()) r.After.Read(i, out var v);</c>
    /// (views valid until the next MoveNext). <see cref="Rows"/> is the convenient path over the same bytes.
    /// </summary>
    public RowsReader ReadRows() => new(this, default);

    /// <summary>
    /// <see cref="ReadRows()"/> with caller-provided room for the column offsets (2 × <see cref="ColumnCount"/> ints,
    /// e.g. stackalloc), so that not even one array per event is allocated; a smaller span is not used.
    /// </summary>
    public RowsReader ReadRows(Span<int> scratch) => new(this, scratch);

    /// <summary>Locates every column of every row (what <see cref="Rows"/> does) without building row objects; returns the row count.</summary>
    public int CountRows() => RowsParser.Count(this, _rowData.Span);

    internal static RowsEvent Parse(BinlogEventType type, ReadOnlyMemory<byte> body, int postHeaderLength,
        Func<ulong, TableMapEvent?> tables, string? logFile, long position)
    {
        var span = body.Span;
        var reader = new PayloadReader(span);
        var tableId = postHeaderLength == 6 ? reader.ReadUInt32() : reader.ReadUInt48();
        var flags = reader.ReadUInt16();
        var version2 = type is BinlogEventType.WriteRowsV2 or BinlogEventType.UpdateRowsV2 or BinlogEventType.DeleteRowsV2
            or BinlogEventType.PartialUpdateRows or BinlogEventType.MariaDbWriteRowsCompressed
            or BinlogEventType.MariaDbUpdateRowsCompressed or BinlogEventType.MariaDbDeleteRowsCompressed;
        if (version2)
        {
            var extraLength = reader.ReadUInt16();
            if (extraLength < 2) throw new BinlogFormatException($"rows event extra-data length {extraLength} is below 2");
            reader.Skip(extraLength - 2);
        }
        var kind = type switch
        {
            BinlogEventType.WriteRowsV0 or BinlogEventType.WriteRowsV1 or BinlogEventType.WriteRowsV2
                or BinlogEventType.MariaDbWriteRowsCompressedV1 or BinlogEventType.MariaDbWriteRowsCompressed => RowsEventKind.Write,
            BinlogEventType.DeleteRowsV0 or BinlogEventType.DeleteRowsV1 or BinlogEventType.DeleteRowsV2
                or BinlogEventType.MariaDbDeleteRowsCompressedV1 or BinlogEventType.MariaDbDeleteRowsCompressed => RowsEventKind.Delete,
            BinlogEventType.PartialUpdateRows => RowsEventKind.PartialUpdate,
            _ => RowsEventKind.Update,
        };
        var width = reader.ReadLengthEncodedInteger();
        // MySQL and MariaDB allow at most 4096 columns per table.
        if (width > 4096) throw new BinlogFormatException($"rows event claims {width} columns");
        var columnCount = (int)width;
        var bitmapLength = (columnCount + 7) / 8;
        var present = body.Slice(reader.Offset, bitmapLength);
        reader.Skip(bitmapLength);
        var presentAfter = ReadOnlyMemory<byte>.Empty;
        if (kind is RowsEventKind.Update or RowsEventKind.PartialUpdate)
        {
            presentAfter = body.Slice(reader.Offset, bitmapLength);
            reader.Skip(bitmapLength);
        }
        var rowData = body[reader.Offset..];
        if (type is >= BinlogEventType.MariaDbWriteRowsCompressedV1 and <= BinlogEventType.MariaDbDeleteRowsCompressed)
            rowData = MariaDbCompression.Decompress(rowData.Span);
        var table = tables(tableId);
        if (table != null && table.Columns.Length != columnCount)
            throw new BinlogFormatException($"rows event has {columnCount} columns but TABLE_MAP of {table.Database}.{table.Table} (id {tableId}) has {table.Columns.Length}");
        return new RowsEvent(kind, tableId, flags, table, columnCount, present, presentAfter, rowData, logFile, position);
    }
}
