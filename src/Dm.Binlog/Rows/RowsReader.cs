using System.Runtime.CompilerServices;
using Dm.Binlog.Events;

namespace Dm.Binlog.Rows;

/// <summary>
/// Walks the rows of a rows event without allocating per row (<see cref="RowsEvent.ReadRows()"/>,
/// <see cref="RowsEventView.ReadRows"/>): each <see cref="MoveNext"/> locates the next row's images into
/// buffers the reader reuses, so a <see cref="Before"/>/<see cref="After"/> view is valid only until the next call.
/// </summary>
public ref struct RowsReader
{
    private readonly RowsEventContext _context;
    private readonly RowsEventKind _kind;
    private readonly ColumnDefinition[] _table;
    private readonly int[] _widths;
    private readonly ReadOnlySpan<byte> _present;
    private readonly ReadOnlySpan<byte> _presentAfter;
    private readonly ReadOnlySpan<byte> _data;
    private readonly Span<int> _offsets; // before image, then after image
    private int _at;
    private bool[]? _partialJson;
    private readonly bool _fullBefore; // the (before) images hold every column: the fast locator may take them
    private readonly bool _fullAfter; // likewise the after images of updates

    // Inlined into ReadRows and its caller: the reader is then built in place, not built and copied (a stalled wide load).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal RowsReader(RowsEventContext context, TableMapEvent? table, RowsEventKind kind, ReadOnlySpan<byte> present, ReadOnlySpan<byte> presentAfter,
        ReadOnlySpan<byte> data, Span<int> scratch)
    {
        _context = context;
        _kind = kind;
        _table = table?.Columns ?? RowsEventContext.RequireColumns(table, context.EventType, context.Where, context.TableId);
        _widths = table!.ValueWidths;
        _present = present;
        _presentAfter = presentAfter;
        _data = data;
        var needed = _table.Length * 2;
        _offsets = scratch.Length >= needed ? scratch[..needed] : new int[needed];
        (_fullBefore, _fullAfter) = RowsParser.FullImages(kind, present, presentAfter, _table.Length);
    }

    /// <summary>The row's before image (updates, deletes); <see cref="RowImageView.Exists"/> is false for inserts.</summary>
    public readonly RowImageView Before
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _kind is RowsEventKind.Write ? default
        : new RowImageView(_context, _table, _data, _offsets.Slice(0, _table.Length), null);
    }

    /// <summary>The row's after image (inserts, updates); <see cref="RowImageView.Exists"/> is false for deletes.</summary>
    public readonly RowImageView After
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _kind is RowsEventKind.Delete ? default
        : new RowImageView(_context, _table, _data, _offsets.Slice(_kind is RowsEventKind.Write ? 0 : _table.Length, _table.Length), _partialJson);
    }

    public bool MoveNext()
    {
        if (_at >= _data.Length) return false;
        var columns = _table.Length;
        RowsParser.LocateImage(_context, _table, _widths, _data, ref _at, _present, _fullBefore, _offsets.Slice(0, columns));
        switch (_kind)
        {
            case RowsEventKind.Update:
                RowsParser.LocateImage(_context, _table, _widths, _data, ref _at, _presentAfter, _fullAfter, _offsets.Slice(columns, columns));
                break;
            case RowsEventKind.PartialUpdate:
                _partialJson = RowsParser.ReadPartialOptions(_context, _table, _data, ref _at, _presentAfter);
                RowsParser.Locate(_context, _table, _widths, _data, ref _at, _presentAfter, _offsets.Slice(columns, columns), _partialJson);
                break;
        }
        return true;
    }
}
