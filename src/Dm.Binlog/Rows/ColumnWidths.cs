using System.Buffers.Binary;

namespace Dm.Binlog.Rows;

/// <summary>
/// The width of every column's value, worked out once per TABLE_MAP so that locating the columns of each row
/// needs no per-type switch: a fixed byte count, or a code for "1-, 2-, 3- or 4-byte length prefix", or "ask
/// <see cref="RowValueDecoder.ValueLength"/>" for the rest (legacy temporal types whose
/// width depends on <see cref="ColumnDefinition.LegacyFractionalDigits"/>, which callers may set later).
/// </summary>
internal static class ColumnWidths
{
    public const int LengthByte = -1;
    public const int LengthUInt16 = -2;
    public const int Computed = -3;
    public const int LengthUInt24 = -4;
    public const int LengthUInt32 = -5;

    public static int[] For(ColumnDefinition[] columns)
    {
        var widths = new int[columns.Length];
        for (var i = 0; i < columns.Length; i++) widths[i] = Of(columns[i]);
        return widths;
    }

    private static int Of(ColumnDefinition column)
    {
        switch (column.Type)
        {
            case ColumnType.VarChar or ColumnType.VarString or ColumnType.String:
                return column.MaxLength < 256 ? LengthByte : LengthUInt16;
            // Their width follows LegacyFractionalDigits, which may change after the map is read.
            case ColumnType.Time or ColumnType.Timestamp or ColumnType.DateTime:
                return Computed;
            // A length prefix of as many bytes as the metadata says (checked to be 1-4 when the TABLE_MAP is read).
            case ColumnType.Blob or ColumnType.TinyBlob or ColumnType.MediumBlob or ColumnType.LongBlob
                or ColumnType.Geometry or ColumnType.Json:
                return column.Metadata switch { 1 => LengthByte, 2 => LengthUInt16, 3 => LengthUInt24, 4 => LengthUInt32, _ => Computed };
            default:
                try
                {
                    // Every other supported type has a width that depends on its metadata only.
                    return RowValueDecoder.ValueLength(column, ReadOnlySpan<byte>.Empty);
                }
                catch (BinlogFormatException)
                {
                    return Computed; // unsupported type: the row reader reports it with its position
                }
        }
    }

    /// <summary>Length of the value at <paramref name="position"/>, or -1 when its length prefix is cut off.</summary>
    public static int Length(int width, ColumnDefinition column, ReadOnlySpan<byte> data, int position)
    {
        if (width >= 0) return width;
        if (width == LengthByte) return position < data.Length ? 1 + data[position] : -1;
        if (width == LengthUInt16) return data.Length - position >= 2 ? 2 + BinaryPrimitives.ReadUInt16LittleEndian(data[position..]) : -1;
        // Longer than the data (or than an int) stays longer than the data: the caller reports the value as cut off.
        if (width == LengthUInt24) return data.Length - position >= 3 ? 3 + (data[position] | data[position + 1] << 8 | data[position + 2] << 16) : -1;
        if (width == LengthUInt32) return data.Length - position >= 4 ? (int)Math.Min(int.MaxValue, 4L + BinaryPrimitives.ReadUInt32LittleEndian(data[position..])) : -1;
        return RowValueDecoder.ValueLength(column, data[position..]);
    }
}
