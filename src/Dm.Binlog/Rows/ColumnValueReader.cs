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
    public static ColumnValue Read(ColumnDefinition column, ReadOnlySpan<byte> data, bool jsonDiff)
    {
        // The common types here, the rest out of line: a small method the JIT optimises fully.
        switch (column.Type)
        {
            case ColumnType.Long:
                return column.IsUnsigned == true
                    ? new ColumnValue(ColumnValueKind.UInt64, column, BinaryPrimitives.ReadUInt32LittleEndian(data), default)
                    : new ColumnValue(ColumnValueKind.Int64, column, BinaryPrimitives.ReadInt32LittleEndian(data), default);
            case ColumnType.LongLong:
                return new ColumnValue(column.IsUnsigned == true ? ColumnValueKind.UInt64 : ColumnValueKind.Int64, column, BinaryPrimitives.ReadInt64LittleEndian(data), default);
            case ColumnType.VarChar or ColumnType.VarString or ColumnType.String:
            {
                int prefix, length;
                if (column.MaxLength < 256) (prefix, length) = (1, data[0]);
                else (prefix, length) = (2, BinaryPrimitives.ReadUInt16LittleEndian(data));
                return new ColumnValue(column.Encoding != null ? ColumnValueKind.Text : ColumnValueKind.Binary, column, 0, data.Slice(prefix, length));
            }
            default:
                return ReadOther(column, data, jsonDiff);
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
