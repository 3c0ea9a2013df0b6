using System.Buffers.Binary;

namespace Dm.Binlog.Rows;

/// <summary>
/// The width of every column's value, worked out once per TABLE_MAP so that locating the columns of each row
/// needs no per-type switch: a fixed byte count, or a code for "1- or 2-byte length prefix", or "ask
/// <see cref="RowValueDecoder.ValueLength"/>" for the rest (BLOB-like prefixes, legacy temporal types whose
/// width depends on <see cref="ColumnDefinition.LegacyFractionalDigits"/>, which callers may set later).
/// </summary>
internal static class ColumnWidths
{
    public const int LengthByte = -1;
    public const int LengthUInt16 = -2;
    public const int Computed = -3;

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
            case ColumnType.Blob or ColumnType.TinyBlob or ColumnType.MediumBlob or ColumnType.LongBlob
                or ColumnType.Geometry or ColumnType.Json:
                return Computed;
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
        return RowValueDecoder.ValueLength(column, data[position..]);
    }
}
