using System.Runtime.CompilerServices;

namespace Dm.Binlog.Rows;

/// <summary>
/// A row image as <see cref="RowsReader"/> yields it: like <see cref="RowImage"/> but a view over the
/// reader's reused buffers, valid until the reader moves on (no allocation per row).
/// </summary>
public readonly ref struct RowImageView
{
    private readonly RowsEventContext _context;
    private readonly ColumnDefinition[] _columns;
    private readonly ReadOnlySpan<byte> _data;
    private readonly ReadOnlySpan<int> _offsets;
    private readonly bool[]? _partialJson;

    internal RowImageView(RowsEventContext context, ColumnDefinition[] columns, ReadOnlySpan<byte> data, ReadOnlySpan<int> offsets, bool[]? partialJson)
    {
        _context = context;
        _columns = columns;
        _data = data;
        _offsets = offsets;
        _partialJson = partialJson;
    }

    /// <summary>False for the missing image (the before image of an insert, the after image of a delete).</summary>
    public bool Exists => _columns != null;

    public int ColumnCount => _offsets.Length;

    public ColumnDefinition Column(int index) => _columns[index];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsPresent(int index) => _offsets[index] != RowImage.Absent;

    public bool IsNull(int index) => _offsets[index] == RowImage.NullValue;

    public bool IsJsonDiff(int index) => _partialJson != null && _partialJson[index];

    /// <summary>Decodes the value without allocating; false for SQL NULL. Same results as <see cref="RowImage.Read"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Read(int index, out ColumnValue value)
    {
        var offset = _offsets[index];
        if (offset >= 0)
        {
            // The common types straight away (their bytes were bounded when the row was located), the rest checked.
            var column = _columns[index];
            if (_partialJson == null && ColumnValueReader.TryReadCommon(column, _data[offset..], out value)) return true;
            value = RowImage.ReadAt(_context, column, _data[offset..], IsJsonDiff(index));
            return true;
        }
        if (offset == RowImage.Absent)
            throw new InvalidOperationException($"column {_columns[index]} is not in this row image (binlog_row_image is not FULL)");
        value = new ColumnValue(ColumnValueKind.Null, _columns[index], 0, default);
        return false;
    }
}
