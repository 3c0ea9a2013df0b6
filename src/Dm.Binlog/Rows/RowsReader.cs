using System.Runtime.CompilerServices;
using Dm.Binlog.Events;

namespace Dm.Binlog.Rows;

/// <summary>
/// Walks the rows of a rows event without allocating per row (<see cref="RowsEvent.ReadRows"/>):
/// each <see cref="MoveNext"/> locates the next row's images into buffers the reader reuses, so a
/// <see cref="Before"/>/<see cref="After"/> view is valid only until the next call.
/// </summary>
public ref struct RowsReader
{
    private readonly RowsEvent _rows;
    private readonly ColumnDefinition[] _table;
    private readonly ReadOnlySpan<byte> _data;
    private readonly Span<int> _offsets; // before image, then after image
    private int _at;
    private bool[]? _partialJson;

    internal RowsReader(RowsEvent rows, Span<int> scratch)
    {
        _rows = rows;
        _table = RowsParser.RequireTable(rows);
        _data = rows.RowData.Span;
        var needed = _table.Length * 2;
        _offsets = scratch.Length >= needed ? scratch[..needed] : new int[needed];
    }

    /// <summary>The row's before image (updates, deletes); <see cref="RowImageView.Exists"/> is false for inserts.</summary>
    public readonly RowImageView Before
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _rows.Kind is RowsEventKind.Write ? default
        : new RowImageView(_rows, _table, _data, _offsets.Slice(0, _table.Length), null);
    }

    /// <summary>The row's after image (inserts, updates); <see cref="RowImageView.Exists"/> is false for deletes.</summary>
    public readonly RowImageView After
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _rows.Kind is RowsEventKind.Delete ? default
        : new RowImageView(_rows, _table, _data, _offsets.Slice(_rows.Kind is RowsEventKind.Write ? 0 : _table.Length, _table.Length), _partialJson);
    }

    public bool MoveNext()
    {
        if (_at >= _data.Length) return false;
        var columns = _table.Length;
        RowsParser.Locate(_rows, _table, _data, ref _at, _rows.ColumnsPresent.Span, _offsets.Slice(0, columns));
        switch (_rows.Kind)
        {
            case RowsEventKind.Update:
                RowsParser.Locate(_rows, _table, _data, ref _at, _rows.ColumnsPresentAfter.Span, _offsets.Slice(columns, columns));
                break;
            case RowsEventKind.PartialUpdate:
                var present = _rows.ColumnsPresentAfter.Span;
                _partialJson = RowsParser.ReadPartialOptions(_rows, _table, _data, ref _at, present);
                RowsParser.Locate(_rows, _table, _data, ref _at, present, _offsets.Slice(columns, columns), _partialJson);
                break;
        }
        return true;
    }
}
