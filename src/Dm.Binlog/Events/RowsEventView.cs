using System.Runtime.CompilerServices;
using Dm.Binlog.Rows;

namespace Dm.Binlog.Events;

/// <summary>
/// A rows event as a view of its bytes (<see cref="BinlogEventView.AsRows"/>): what <see cref="RowsEvent"/>
/// holds, without the object. Its rows are read with <see cref="ReadRows"/>, which decodes exactly what
/// <see cref="RowsEvent.ReadRows(Span{int})"/> and <see cref="RowsEvent.Rows"/> decode.
/// </summary>
public readonly ref struct RowsEventView
{
    private readonly RowsEventContext _context;
    private readonly RowsEventLayout _layout;

    internal RowsEventView(RowsEventContext context, BinlogEventType eventType, TableMapEvent? table, scoped in RowsEventLayout layout,
        ReadOnlySpan<byte> present, ReadOnlySpan<byte> presentAfter, ReadOnlySpan<byte> rowData)
    {
        _context = context;
        EventType = eventType;
        Table = table;
        _layout = layout;
        ColumnsPresent = present;
        ColumnsPresentAfter = presentAfter;
        RowData = rowData;
    }

    public RowsEventKind Kind => _layout.Kind;
    public BinlogEventType EventType { get; }
    public ulong TableId => _layout.TableId;
    public ushort Flags => _layout.Flags;
    public int ColumnCount => _layout.ColumnCount;

    /// <summary>The TABLE_MAP this event refers to; null when it was not seen (reading started mid-transaction).</summary>
    public TableMapEvent? Table { get; }

    /// <summary>Bitmap of the columns in the (before) images, bit i for column i.</summary>
    public ReadOnlySpan<byte> ColumnsPresent { get; }

    /// <summary>Bitmap of the columns in the after images of updates (empty otherwise).</summary>
    public ReadOnlySpan<byte> ColumnsPresentAfter { get; }

    /// <summary>The undecoded row images (decompressed for MariaDB's compressed events).</summary>
    public ReadOnlySpan<byte> RowData { get; }

    /// <summary>STMT_END_F: the last rows event of its statement.</summary>
    public bool IsStatementEnd => (Flags & 1) != 0;

    /// <summary>The rows (see <see cref="RowsReader"/>), with <paramref name="scratch"/> for 2 × <see cref="ColumnCount"/> column offsets.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public RowsReader ReadRows(Span<int> scratch) => new(_context, Table, Kind, ColumnsPresent, ColumnsPresentAfter, RowData, scratch);

    /// <summary><see cref="ReadRows(Span{int})"/> with an array for the offsets.</summary>
    public RowsReader ReadRows() => ReadRows(default);
}
