namespace Dm.Binlog.Rows;

/// <summary>
/// One row image (before or after) of a rows event. Columns are located when the event is read;
/// values are decoded only when asked for. Columns not in the image (MINIMAL/NOBLOB row images) are absent.
/// </summary>
public sealed class RowImage
{
    internal const int Absent = -1;
    internal const int NullValue = -2;

    private readonly Events.RowsEvent _owner;
    private readonly ColumnDefinition[] _columns;
    private readonly ReadOnlyMemory<byte> _data;
    private readonly int[] _offsets; // shared by the images of one event; this image's columns start at _start
    private readonly int _start;
    private readonly int _count;
    private readonly bool[]? _partialJson;

    internal RowImage(Events.RowsEvent owner, ColumnDefinition[] columns, ReadOnlyMemory<byte> data, int[] offsets, int start, bool[]? partialJson = null)
    {
        _start = start;
        _count = columns.Length;
        _partialJson = partialJson;
        _owner = owner;
        _columns = columns;
        _data = data;
        _offsets = offsets;
    }

    public int ColumnCount => _count;

    public ColumnDefinition Column(int index) => _columns[index];

    /// <summary>Whether the image holds this column (always true for FULL row images).</summary>
    public bool IsPresent(int index) => _offsets[_start + Check(index)] != Absent;

    public bool IsNull(int index) => _offsets[_start + Check(index)] == NullValue;

    /// <summary>The value's bytes as logged (with any length prefix); empty for NULL.</summary>
    public ReadOnlySpan<byte> GetRawValue(int index)
    {
        var offset = OffsetOf(index);
        if (offset < 0) return default;
        var span = _data.Span[offset..];
        return span[..RowValueDecoder.ValueLength(_columns[index], span)];
    }

    /// <summary>Whether a JSON column holds a list of <see cref="Json.JsonDiff"/> (MySQL partial JSON update) instead of a document.</summary>
    public bool IsJsonDiff(int index) => _partialJson != null && _partialJson[index];

    /// <summary>
    /// The decoded value (types per <see cref="RowValueDecoder.Decode"/>; a JSON column with
    /// <see cref="IsJsonDiff"/> gives IReadOnlyList&lt;JsonDiff&gt;); null for SQL NULL.
    /// </summary>
    public object? GetValue(int index)
    {
        var offset = OffsetOf(index);
        if (offset < 0) return null;
        var span = _data.Span[offset..];
        var column = _columns[index];
        try
        {
            if (IsJsonDiff(index)) return Json.JsonDiff.DecodeVector(span);
            return RowValueDecoder.Decode(column, span[..RowValueDecoder.ValueLength(column, span)]);
        }
        catch (Exception e) when (IsMalformed(e))
        {
            throw Malformed(_owner.Context, column, e);
        }
    }

    /// <summary>
    /// Decodes the value without allocating (see <see cref="ColumnValue"/>); agrees with <see cref="GetValue"/>.
    /// Returns false for SQL NULL (<paramref name="value"/> then has kind Null).
    /// </summary>
    public bool Read(int index, out ColumnValue value)
    {
        var offset = OffsetOf(index);
        value = offset < 0 ? new ColumnValue(ColumnValueKind.Null, _columns[index], 0, default)
            : ReadAt(_owner.Context, _columns[index], _data.Span[offset..], IsJsonDiff(index));
        return offset >= 0;
    }

    internal static ColumnValue ReadAt(RowsEventContext context, ColumnDefinition column, ReadOnlySpan<byte> data, bool jsonDiff)
    {
        try
        {
            return ColumnValueReader.Read(column, data, jsonDiff);
        }
        catch (Exception e) when (IsMalformed(e))
        {
            throw Malformed(context, column, e);
        }
    }

    internal static bool IsMalformed(Exception e) =>
        e is BinlogFormatException or IndexOutOfRangeException or ArgumentOutOfRangeException or ArgumentException or OverflowException;

    internal static BinlogFormatException Malformed(RowsEventContext context, ColumnDefinition column, Exception e) =>
        new($"{context.Describe()}: column {column}: malformed value ({e.Message})", e) { EventType = context.EventType };

    public object? this[int index] => GetValue(index);

    /// <summary>All values; absent columns read as null (check <see cref="IsPresent"/> to tell them apart).</summary>
    public object?[] ToArray()
    {
        var values = new object?[_count];
        for (var i = 0; i < values.Length; i++)
            if (_offsets[_start + i] >= 0) values[i] = GetValue(i);
        return values;
    }

    private int Check(int index) => (uint)index < (uint)_count ? index : throw new ArgumentOutOfRangeException(nameof(index), $"column {index} of {_count}");

    private int OffsetOf(int index)
    {
        var offset = _offsets[_start + Check(index)];
        if (offset == Absent)
            throw new InvalidOperationException($"column {_columns[index]} is not in this row image (binlog_row_image is not FULL)");
        return offset;
    }
}
