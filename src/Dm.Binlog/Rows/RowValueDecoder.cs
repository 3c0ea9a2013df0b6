using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Dm.Binlog.Rows;

/// <summary>
/// Length and value of one column in a row image (MySQL source: sql/log_event.cc log_event_print_value
/// and the Field::pack formats; temporal formats per sql-common/my_time.cc *_from_binary).
/// </summary>
public static class RowValueDecoder
{
    private static readonly int[] DigitsToBytes = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4];

    // MariaDB's pre-5.6 "hires" temporal widths by precision (sql/field.cc, Field_time_hires/Field_datetime_hires).
    private static readonly int[] TimeHiresBytes = [3, 4, 4, 5, 5, 5, 6];
    private static readonly int[] DateTimeHiresBytes = [5, 6, 6, 7, 7, 7, 8];
    private static readonly long[] PowersOf10 = [1, 10, 100, 1000, 10000, 100000, 1000000];

    /// <summary>Bytes the value of <paramref name="column"/> occupies at the start of <paramref name="data"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ValueLength(ColumnDefinition column, ReadOnlySpan<byte> data)
    {
        switch (column.Type)
        {
            case ColumnType.Tiny: return 1;
            case ColumnType.Short: return 2;
            case ColumnType.Int24: return 3;
            case ColumnType.Long: return 4;
            case ColumnType.LongLong: return 8;
            case ColumnType.Float: return 4;
            case ColumnType.Double: return 8;
            case ColumnType.Year: return 1;
            case ColumnType.Date:
            case ColumnType.NewDate: return 3;
            case ColumnType.Time: return column.LegacyFractionalDigits is > 0 and <= 6 and var t ? TimeHiresBytes[t] : 3;
            case ColumnType.Timestamp: return 4 + ((column.LegacyFractionalDigits ?? 0) + 1) / 2;
            case ColumnType.DateTime: return column.LegacyFractionalDigits is > 0 and <= 6 and var d ? DateTimeHiresBytes[d] : 8;
            case ColumnType.Timestamp2: return 4 + (column.Metadata + 1) / 2;
            case ColumnType.DateTime2: return 5 + (column.Metadata + 1) / 2;
            case ColumnType.Time2: return 3 + (column.Metadata + 1) / 2;
            case ColumnType.Null: return 0;
            case ColumnType.NewDecimal: return DecimalLength(column.Metadata >> 8, column.Metadata & 0xFF);
            case ColumnType.Bit: return (column.Metadata & 0xFF) + ((column.Metadata >> 8) > 0 ? 1 : 0);
            case ColumnType.Enum:
            case ColumnType.Set: return column.Metadata & 0xFF;
            case ColumnType.VarChar:
            case ColumnType.VarString:
            case ColumnType.String:
                if (column.MaxLength < 256)
                {
                    Need(data, 1, column);
                    return 1 + data[0];
                }
                Need(data, 2, column);
                return 2 + BinaryPrimitives.ReadUInt16LittleEndian(data);
            case ColumnType.Blob:
            case ColumnType.TinyBlob:
            case ColumnType.MediumBlob:
            case ColumnType.LongBlob:
            case ColumnType.Geometry:
            case ColumnType.Json:
            {
                var prefix = column.Metadata;
                Need(data, prefix, column);
                long length = prefix switch
                {
                    1 => data[0],
                    2 => BinaryPrimitives.ReadUInt16LittleEndian(data),
                    3 => data[0] | data[1] << 8 | data[2] << 16,
                    4 => BinaryPrimitives.ReadUInt32LittleEndian(data),
                    _ => throw new BinlogFormatException($"column {column}: invalid length-prefix size {prefix}"),
                };
                if (length > int.MaxValue - prefix) throw new BinlogFormatException($"column {column}: value length {length} is too large");
                return prefix + (int)length;
            }
            default:
                throw new BinlogFormatException($"column {column}: binlog column type {(int)column.Type} is not supported");
        }
    }

    private static void Need(ReadOnlySpan<byte> data, int count, ColumnDefinition column)
    {
        if (data.Length < count)
            throw new BinlogFormatException($"column {column}: needs {count} bytes for its length, {data.Length} left in the row");
    }

    /// <summary>Size of a packed DECIMAL(precision, scale) (decimal_bin_size).</summary>
    public static int DecimalLength(int precision, int scale)
    {
        var integral = precision - scale;
        return integral / 9 * 4 + DigitsToBytes[integral % 9] + scale / 9 * 4 + DigitsToBytes[scale % 9];
    }

    /// <summary>
    /// The value as a .NET object: long/ulong (integers, by signedness), float, double, <see cref="MySqlDecimal"/>,
    /// ulong (BIT), int (YEAR), <see cref="MySqlDateTime"/> (DATE, DATETIME, TIMESTAMP in UTC), TimeSpan (TIME),
    /// string (text with a known charset, JSON, ENUM/SET with known names), byte[] (binary or unknown charset,
    /// GEOMETRY), long/ulong (ENUM index / SET bits when names are unknown).
    /// </summary>
    public static object? Decode(ColumnDefinition column, ReadOnlySpan<byte> value)
    {
        var unsigned = column.IsUnsigned == true;
        switch (column.Type)
        {
            case ColumnType.Tiny: return unsigned ? value[0] : (long)(sbyte)value[0];
            case ColumnType.Short:
                return unsigned ? BinaryPrimitives.ReadUInt16LittleEndian(value) : (long)BinaryPrimitives.ReadInt16LittleEndian(value);
            case ColumnType.Int24:
            {
                var v = value[0] | value[1] << 8 | value[2] << 16;
                return unsigned ? (ulong)v : (long)(v << 8 >> 8);
            }
            case ColumnType.Long:
                return unsigned ? BinaryPrimitives.ReadUInt32LittleEndian(value) : (long)BinaryPrimitives.ReadInt32LittleEndian(value);
            case ColumnType.LongLong:
                return unsigned ? BinaryPrimitives.ReadUInt64LittleEndian(value) : BinaryPrimitives.ReadInt64LittleEndian(value);
            case ColumnType.Float: return BinaryPrimitives.ReadSingleLittleEndian(value);
            case ColumnType.Double: return BinaryPrimitives.ReadDoubleLittleEndian(value);
            case ColumnType.NewDecimal: return DecodeDecimal(value, column.Metadata >> 8, column.Metadata & 0xFF);
            case ColumnType.Bit: return ReadBigEndian(value);
            case ColumnType.Year: return value[0] == 0 ? 0 : 1900 + value[0];
            case ColumnType.Date or ColumnType.NewDate or ColumnType.Timestamp or ColumnType.Timestamp2
                or ColumnType.DateTime or ColumnType.DateTime2:
                return DecodeDateTime(column, value);
            case ColumnType.Time or ColumnType.Time2: return DecodeTime(column, value);
            case ColumnType.Null: return null;
            case ColumnType.Enum:
            {
                var index = (long)ReadLittleEndian(value);
                var names = column.EnumValues;
                if (names == null) return index;
                return index == 0 ? "" : index <= names.Count ? names[(int)index - 1]
                    : throw new BinlogFormatException($"column {column}: ENUM index {index} beyond its {names.Count} values");
            }
            case ColumnType.Set:
            {
                var bits = ReadLittleEndian(value);
                var names = column.SetValues;
                if (names == null) return bits;
                var text = new StringBuilder();
                for (var i = 0; i < names.Count && i < 64; i++)
                {
                    if ((bits & (1UL << i)) == 0) continue;
                    if (text.Length > 0) text.Append(',');
                    text.Append(names[i]);
                }
                return text.ToString();
            }
            case ColumnType.VarChar:
            case ColumnType.VarString:
            case ColumnType.String:
            {
                var bytes = column.MaxLength < 256 ? value[1..] : value[2..];
                if (column.Encoding != null) return column.Encoding.GetString(bytes);
                // BINARY(n) is logged without its trailing zero padding; SELECT shows it padded.
                if (column.Type == ColumnType.String && column.Collation == CharsetEncodings.BinaryCollation && bytes.Length < column.MaxLength)
                {
                    var padded = new byte[column.MaxLength];
                    bytes.CopyTo(padded);
                    return padded;
                }
                return bytes.ToArray();
            }
            case ColumnType.Blob:
            case ColumnType.TinyBlob:
            case ColumnType.MediumBlob:
            case ColumnType.LongBlob:
            {
                var bytes = value[column.Metadata..];
                return column.Encoding != null ? column.Encoding.GetString(bytes) : bytes.ToArray();
            }
            case ColumnType.Geometry: return value[column.Metadata..].ToArray();
            case ColumnType.Json: return Json.MySqlJsonDecoder.ToJson(value[column.Metadata..]);
            default:
                throw new BinlogFormatException($"column {column}: binlog column type {(int)column.Type} is not supported");
        }
    }

    /// <summary>DATE, DATETIME and TIMESTAMP (in UTC) in any of their binlog formats.</summary>
    internal static MySqlDateTime DecodeDateTime(ColumnDefinition column, ReadOnlySpan<byte> value)
    {
        switch (column.Type)
        {
            case ColumnType.Date:
            case ColumnType.NewDate:
            {
                var v = value[0] | value[1] << 8 | value[2] << 16;
                return new MySqlDateTime(v >> 9, (v >> 5) & 15, v & 31, 0, 0, 0, 0);
            }
            case ColumnType.DateTime when column.LegacyFractionalDigits is > 0 and <= 6 and var fsp:
            {
                // MariaDB hires: big-endian count of 10^-fsp seconds of ((((year*13+month)*32+day)*24+hour)*60+minute)*60+second.
                var micro = (long)ReadBigEndian(value) * PowersOf10[6 - fsp];
                var seconds = micro / 1000000;
                var (second, minute, hour) = ((int)(seconds % 60), (int)(seconds / 60 % 60), (int)(seconds / 3600 % 24));
                var days = seconds / 86400;
                return new MySqlDateTime((int)(days / 32 / 13), (int)(days / 32 % 13), (int)(days % 32), hour, minute, second, (int)(micro % 1000000));
            }
            case ColumnType.DateTime:
            {
                var v = BinaryPrimitives.ReadUInt64LittleEndian(value);
                var date = (int)(v / 1000000);
                var time = (int)(v % 1000000);
                return new MySqlDateTime(date / 10000, date / 100 % 100, date % 100, time / 10000, time / 100 % 100, time % 100, 0);
            }
            case ColumnType.DateTime2: return DecodeDateTime2(value, column.Metadata);
            case ColumnType.Timestamp when column.LegacyFractionalDigits is > 0 and <= 6 and var fsp:
                // MariaDB hires: big-endian seconds, then the fraction in units of 10^-fsp.
                return MySqlDateTime.FromUnixTime(BinaryPrimitives.ReadUInt32BigEndian(value),
                    (int)((long)ReadBigEndian(value[4..]) * PowersOf10[6 - fsp]));
            case ColumnType.Timestamp: return MySqlDateTime.FromUnixTime(BinaryPrimitives.ReadUInt32LittleEndian(value), 0);
            case ColumnType.Timestamp2:
                return MySqlDateTime.FromUnixTime(BinaryPrimitives.ReadUInt32BigEndian(value), ReadFraction(value[4..], column.Metadata));
            default: throw new BinlogFormatException($"column {column}: not a date/time column");
        }
    }

    /// <summary>TIME in any of its binlog formats.</summary>
    internal static TimeSpan DecodeTime(ColumnDefinition column, ReadOnlySpan<byte> value)
    {
        switch (column.Type)
        {
            case ColumnType.Time when column.LegacyFractionalDigits is > 0 and <= 6 and var fsp:
            {
                // MariaDB hires: big-endian count of 10^-fsp seconds, offset so that -838:59:59 is above zero.
                var zero = 3020400L * PowersOf10[fsp];
                var units = (long)ReadBigEndian(value) - zero;
                return new TimeSpan(units * PowersOf10[6 - fsp] * 10);
            }
            case ColumnType.Time:
            {
                var v = value[0] | value[1] << 8 | value[2] << 16;
                v = v << 8 >> 8;
                var a = Math.Abs(v);
                var span = new TimeSpan(a / 10000, a / 100 % 100, a % 100);
                return v < 0 ? -span : span;
            }
            case ColumnType.Time2: return DecodeTime2(value, column.Metadata);
            default: throw new BinlogFormatException($"column {column}: not a TIME column");
        }
    }

    internal static ulong ReadBigEndian(ReadOnlySpan<byte> value)
    {
        ulong v = 0;
        foreach (var b in value) v = v << 8 | b;
        return v;
    }

    internal static ulong ReadLittleEndian(ReadOnlySpan<byte> value)
    {
        ulong v = 0;
        for (var i = value.Length - 1; i >= 0; i--) v = v << 8 | value[i];
        return v;
    }

    /// <summary>Microseconds from the 0–3 big-endian fraction bytes of TIMESTAMP2/DATETIME2.</summary>
    private static int ReadFraction(ReadOnlySpan<byte> bytes, int precision) => precision switch
    {
        1 or 2 => bytes[0] * 10000,
        3 or 4 => BinaryPrimitives.ReadUInt16BigEndian(bytes) * 100,
        5 or 6 => bytes[0] << 16 | bytes[1] << 8 | bytes[2],
        _ => 0,
    };

    private static MySqlDateTime DecodeDateTime2(ReadOnlySpan<byte> value, int precision)
    {
        // 40 bits big-endian, offset by 2^39: sign, year*13+month (17), day (5), hour (5), minute (6), second (6).
        var packed = (long)((ulong)value[0] << 32 | (ulong)value[1] << 24 | (ulong)value[2] << 16 | (ulong)value[3] << 8 | value[4]) - 0x8000000000L;
        var fraction = ReadFraction(value[5..], precision);
        if (packed < 0) packed = -packed; // negative DATETIME does not exist in SQL; keep the magnitude
        var ymd = packed >> 17;
        var yearMonth = ymd >> 5;
        var hms = packed % (1 << 17);
        return new MySqlDateTime((int)(yearMonth / 13), (int)(yearMonth % 13), (int)(ymd % 32),
            (int)(hms >> 12), (int)((hms >> 6) % 64), (int)(hms % 64), fraction);
    }

    private static TimeSpan DecodeTime2(ReadOnlySpan<byte> value, int precision)
    {
        // 24-bit big-endian integer part offset by 2^23 (sign, hour 10, minute 6, second 6), then the
        // fraction; negative values borrow from the integer part (my_time_packed_from_binary).
        long integral = (value[0] << 16 | value[1] << 8 | value[2]) - 0x800000L;
        long fraction = 0;
        switch (precision)
        {
            case 1 or 2:
                fraction = value[3];
                if (integral < 0 && fraction != 0) { integral++; fraction -= 0x100; }
                fraction *= 10000;
                break;
            case 3 or 4:
                fraction = BinaryPrimitives.ReadUInt16BigEndian(value[3..]);
                if (integral < 0 && fraction != 0) { integral++; fraction -= 0x10000; }
                fraction *= 100;
                break;
            case 5 or 6:
                fraction = value[3] << 16 | value[4] << 8 | value[5];
                if (integral < 0 && fraction != 0) { integral++; fraction -= 0x1000000; }
                break;
        }
        var packed = (integral << 24) + fraction;
        var negative = packed < 0;
        if (negative) packed = -packed;
        var hms = packed >> 24;
        var micro = packed % (1 << 24);
        var hour = (hms >> 12) % (1 << 10);
        var minute = (hms >> 6) % 64;
        var second = hms % 64;
        var ticks = ((hour * 3600 + minute * 60 + second) * 1_000_000 + micro) * 10;
        return new TimeSpan(negative ? -ticks : ticks);
    }

    /// <summary>Packed DECIMAL as exact text (see <see cref="PackedDecimal"/>).</summary>
    public static MySqlDecimal DecodeDecimal(ReadOnlySpan<byte> value, int precision, int scale)
    {
        Span<char> text = stackalloc char[PackedDecimal.MaxTextLength];
        return new MySqlDecimal(new string(text[..PackedDecimal.Format(value, precision, scale, text)]));
    }
}
