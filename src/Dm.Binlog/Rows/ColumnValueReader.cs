using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Dm.Binlog.Rows;

/// <summary>
/// Decodes one value of a row image into a <see cref="ColumnValue"/> (no allocation). Mirrors
/// <see cref="RowValueDecoder.Decode"/> type by type; the tests hold the two paths to the same results.
/// </summary>
internal static class ColumnValueReader
{
    /// <summary><paramref name="data"/> starts at the value and may run on past it (the rest of the row data).</summary>
    public static ColumnValue Read(ColumnDefinition column, ReadOnlySpan<byte> data, bool jsonDiff) =>
        !jsonDiff && TryReadCommon(column, data, out var value) ? value : ReadOther(column, data, jsonDiff);

    // Codes of FastRead: the common types whose bytes the row locator has already bounded (fixed widths, a
    // 1- or 2-byte length prefix), so reading them cannot run past the value.
    private const byte Int8 = 1, UInt8 = 2, Int16 = 3, UInt16 = 4, Int24 = 5, UInt24 = 6, Int32 = 7, UInt32 = 8,
        Int64 = 9, UInt64 = 10, Text8 = 11, Text16 = 12, Binary8 = 13, Binary16 = 14, Float32 = 15, Float64 = 16;

    /// <summary>The <see cref="ColumnDefinition.FastRead"/> code of a column (0 = only the general path).</summary>
    internal static byte FastReadCode(ColumnDefinition column)
    {
        var unsigned = column.IsUnsigned == true;
        var text = column.Encoding != null;
        var shortPrefix = column.MaxLength < 256;
        return column.Type switch
        {
            ColumnType.Tiny => unsigned ? UInt8 : Int8,
            ColumnType.Short => unsigned ? UInt16 : Int16,
            ColumnType.Int24 => unsigned ? UInt24 : Int24,
            ColumnType.Long => unsigned ? UInt32 : Int32,
            ColumnType.LongLong => unsigned ? UInt64 : Int64,
            ColumnType.Float => Float32,
            ColumnType.Double => Float64,
            ColumnType.VarChar or ColumnType.VarString or ColumnType.String =>
                text ? shortPrefix ? Text8 : Text16 : shortPrefix ? Binary8 : Binary16,
            _ => 0,
        };
    }

    /// <summary>
    /// The value of a column with a <see cref="ColumnDefinition.FastRead"/> code, with no exception handler (its
    /// bytes were bounded when the row was located); false for the other columns. Same results as <see cref="ReadOther"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryReadCommon(ColumnDefinition column, ReadOnlySpan<byte> data, out ColumnValue value)
    {
        switch (column.FastRead)
        {
            case Int8: value = new(ColumnValueKind.Int64, column, (sbyte)data[0], default); return true;
            case UInt8: value = new(ColumnValueKind.UInt64, column, data[0], default); return true;
            case Int16: value = new(ColumnValueKind.Int64, column, BinaryPrimitives.ReadInt16LittleEndian(data), default); return true;
            case UInt16: value = new(ColumnValueKind.UInt64, column, BinaryPrimitives.ReadUInt16LittleEndian(data), default); return true;
            case Int24: value = new(ColumnValueKind.Int64, column, (data[0] | data[1] << 8 | data[2] << 16) << 8 >> 8, default); return true;
            case UInt24: value = new(ColumnValueKind.UInt64, column, data[0] | data[1] << 8 | data[2] << 16, default); return true;
            case Int32: value = new(ColumnValueKind.Int64, column, BinaryPrimitives.ReadInt32LittleEndian(data), default); return true;
            case UInt32: value = new(ColumnValueKind.UInt64, column, BinaryPrimitives.ReadUInt32LittleEndian(data), default); return true;
            case Int64: value = new(ColumnValueKind.Int64, column, BinaryPrimitives.ReadInt64LittleEndian(data), default); return true;
            case UInt64: value = new(ColumnValueKind.UInt64, column, BinaryPrimitives.ReadInt64LittleEndian(data), default); return true;
            case Float32: value = new(ColumnValueKind.Single, column, BinaryPrimitives.ReadInt32LittleEndian(data), default); return true;
            case Float64: value = new(ColumnValueKind.Double, column, BinaryPrimitives.ReadInt64LittleEndian(data), default); return true;
            case Text8: value = new(ColumnValueKind.Text, column, 0, data.Slice(1, data[0])); return true;
            case Binary8: value = new(ColumnValueKind.Binary, column, 0, data.Slice(1, data[0])); return true;
            case Text16: value = new(ColumnValueKind.Text, column, 0, data.Slice(2, BinaryPrimitives.ReadUInt16LittleEndian(data))); return true;
            case Binary16: value = new(ColumnValueKind.Binary, column, 0, data.Slice(2, BinaryPrimitives.ReadUInt16LittleEndian(data))); return true;
            default: value = default; return false;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ColumnValue ReadOther(ColumnDefinition column, ReadOnlySpan<byte> data, bool jsonDiff)
    {
        var unsigned = column.IsUnsigned == true;
        switch (column.Type)
        {
            case ColumnType.Tiny:
                return Integer(column, unsigned, unsigned ? data[0] : (sbyte)data[0]);
            case ColumnType.Short:
                return Integer(column, unsigned, unsigned ? BinaryPrimitives.ReadUInt16LittleEndian(data) : BinaryPrimitives.ReadInt16LittleEndian(data));
            case ColumnType.Int24:
            {
                var v = data[0] | data[1] << 8 | data[2] << 16;
                return Integer(column, unsigned, unsigned ? v : v << 8 >> 8);
            }
            case ColumnType.Long:
                return Integer(column, unsigned, unsigned ? BinaryPrimitives.ReadUInt32LittleEndian(data) : BinaryPrimitives.ReadInt32LittleEndian(data));
            case ColumnType.LongLong:
                return Integer(column, unsigned, BinaryPrimitives.ReadInt64LittleEndian(data));
            case ColumnType.Float:
                return new ColumnValue(ColumnValueKind.Single, column, BinaryPrimitives.ReadInt32LittleEndian(data), default);
            case ColumnType.Double:
                return new ColumnValue(ColumnValueKind.Double, column, BinaryPrimitives.ReadInt64LittleEndian(data), default);
            case ColumnType.Year:
                return new ColumnValue(ColumnValueKind.Int64, column, data[0] == 0 ? 0 : 1900 + data[0], default);
            case ColumnType.NewDecimal:
                return new ColumnValue(ColumnValueKind.Decimal, column, 0, Exact(column, data));
            case ColumnType.Bit:
                return new ColumnValue(ColumnValueKind.UInt64, column, (long)RowValueDecoder.ReadBigEndian(Exact(column, data)), default);
            case ColumnType.Date or ColumnType.NewDate or ColumnType.Timestamp or ColumnType.Timestamp2
                or ColumnType.DateTime or ColumnType.DateTime2:
                return new ColumnValue(ColumnValueKind.DateTime, column, 0, Exact(column, data));
            case ColumnType.Time or ColumnType.Time2:
                return new ColumnValue(ColumnValueKind.Time, column, 0, Exact(column, data));
            case ColumnType.Null:
                return new ColumnValue(ColumnValueKind.Null, column, 0, default);
            case ColumnType.Enum:
                return new ColumnValue(ColumnValueKind.Enum, column, (long)RowValueDecoder.ReadLittleEndian(Exact(column, data)), default);
            case ColumnType.Set:
                return new ColumnValue(ColumnValueKind.Set, column, (long)RowValueDecoder.ReadLittleEndian(Exact(column, data)), default);
            case ColumnType.VarChar or ColumnType.VarString or ColumnType.String:
            {
                int prefix, length;
                if (column.MaxLength < 256) (prefix, length) = (1, data[0]);
                else (prefix, length) = (2, BinaryPrimitives.ReadUInt16LittleEndian(data));
                return new ColumnValue(column.Encoding != null ? ColumnValueKind.Text : ColumnValueKind.Binary, column, 0, data.Slice(prefix, length));
            }
            case ColumnType.Blob or ColumnType.TinyBlob or ColumnType.MediumBlob or ColumnType.LongBlob:
                return new ColumnValue(column.Encoding != null ? ColumnValueKind.Text : ColumnValueKind.Binary, column, 0, Exact(column, data)[column.Metadata..]);
            case ColumnType.Geometry:
                return new ColumnValue(ColumnValueKind.Binary, column, 0, Exact(column, data)[column.Metadata..]);
            case ColumnType.Json when jsonDiff:
                return new ColumnValue(ColumnValueKind.JsonDiff, column, 0, data[..checked(4 + (int)BinaryPrimitives.ReadUInt32LittleEndian(data))]);
            case ColumnType.Json:
                return new ColumnValue(ColumnValueKind.Json, column, 0, Exact(column, data)[column.Metadata..]);
            default:
                throw new BinlogFormatException($"column {column}: binlog column type {(int)column.Type} is not supported");
        }
    }

    private static ColumnValue Integer(ColumnDefinition column, bool unsigned, long value) =>
        new(unsigned ? ColumnValueKind.UInt64 : ColumnValueKind.Int64, column, value, default);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ReadOnlySpan<byte> Exact(ColumnDefinition column, ReadOnlySpan<byte> data) =>
        data[..RowValueDecoder.ValueLength(column, data)];
}
