using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Dm.Binlog.Rows.Json;

/// <summary>
/// MySQL's binary JSON (MySQL source: sql/json_binary.h, "JSON binary format") to JSON text as MySQL
/// prints it (<c>{"a": 1, "b": [true, null]}</c>). MariaDB stores JSON as text and never uses this.
/// </summary>
public static class MySqlJsonDecoder
{
    private const byte SmallObject = 0x00;
    private const byte LargeObject = 0x01;
    private const byte SmallArray = 0x02;
    private const byte LargeArray = 0x03;
    private const byte Literal = 0x04;
    private const byte Int16 = 0x05;
    private const byte UInt16 = 0x06;
    private const byte Int32 = 0x07;
    private const byte UInt32 = 0x08;
    private const byte Int64 = 0x09;
    private const byte UInt64 = 0x0A;
    private const byte Double = 0x0B;
    private const byte String = 0x0C;
    private const byte Opaque = 0x0F;

    private const int MaxDepth = 100;

    /// <summary>Decodes a whole binary JSON document; an empty value is JSON null.</summary>
    public static string ToJson(ReadOnlySpan<byte> document)
    {
        if (document.Length == 0) return "null";
        var text = new StringBuilder(document.Length * 2);
        WriteValue(text, document[0], document, 1, 0);
        return text.ToString();
    }

    /// <summary>Decodes one value whose type byte is <paramref name="type"/> and data starts at <paramref name="offset"/> of <paramref name="data"/>.</summary>
    internal static void WriteValue(StringBuilder text, byte type, ReadOnlySpan<byte> data, int offset, int depth)
    {
        if (depth > MaxDepth) throw Error("nesting deeper than 100 levels");
        switch (type)
        {
            case SmallObject or LargeObject:
                WriteContainer(text, data[Checked(data, offset, 0)..], isObject: true, large: type == LargeObject, depth);
                break;
            case SmallArray or LargeArray:
                WriteContainer(text, data[Checked(data, offset, 0)..], isObject: false, large: type == LargeArray, depth);
                break;
            case Literal:
                text.Append(Byte(data, offset) switch
                {
                    0 => "null",
                    1 => "true",
                    2 => "false",
                    var b => throw Error($"unknown literal 0x{b:X2}"),
                });
                break;
            case Int16: text.Append(BinaryPrimitives.ReadInt16LittleEndian(Slice(data, offset, 2))); break;
            case UInt16: text.Append(BinaryPrimitives.ReadUInt16LittleEndian(Slice(data, offset, 2))); break;
            case Int32: text.Append(BinaryPrimitives.ReadInt32LittleEndian(Slice(data, offset, 4))); break;
            case UInt32: text.Append(BinaryPrimitives.ReadUInt32LittleEndian(Slice(data, offset, 4))); break;
            case Int64: text.Append(BinaryPrimitives.ReadInt64LittleEndian(Slice(data, offset, 8))); break;
            case UInt64: text.Append(BinaryPrimitives.ReadUInt64LittleEndian(Slice(data, offset, 8))); break;
            case Double: WriteDouble(text, BinaryPrimitives.ReadDoubleLittleEndian(Slice(data, offset, 8))); break;
            case String:
            {
                var (length, used) = ReadVariableLength(data, offset);
                WriteString(text, Encoding.UTF8.GetString(Slice(data, offset + used, length)));
                break;
            }
            case Opaque:
            {
                var fieldType = (ColumnType)Byte(data, offset);
                var (length, used) = ReadVariableLength(data, offset + 1);
                WriteOpaque(text, fieldType, Slice(data, offset + 1 + used, length));
                break;
            }
            default:
                throw Error($"unknown value type 0x{type:X2}");
        }
    }

    private static void WriteContainer(StringBuilder text, ReadOnlySpan<byte> data, bool isObject, bool large, int depth)
    {
        var offsetSize = large ? 4 : 2;
        var count = ReadOffset(data, 0, large);
        var size = ReadOffset(data, offsetSize, large);
        if (size > data.Length) throw Error($"container claims {size} bytes, {data.Length} present");
        data = data[..size];
        var keyEntrySize = offsetSize + 2;
        var valueEntrySize = 1 + offsetSize;
        var headerSize = 2 * offsetSize + (isObject ? count * keyEntrySize : 0) + count * valueEntrySize;
        if (headerSize > data.Length) throw Error($"container of {count} elements does not fit in {data.Length} bytes");
        text.Append(isObject ? '{' : '[');
        for (var i = 0; i < count; i++)
        {
            if (i > 0) text.Append(", ");
            if (isObject)
            {
                var keyEntry = 2 * offsetSize + i * keyEntrySize;
                var keyOffset = ReadOffset(data, keyEntry, large);
                var keyLength = BinaryPrimitives.ReadUInt16LittleEndian(data[(keyEntry + offsetSize)..]);
                WriteString(text, Encoding.UTF8.GetString(Slice(data, keyOffset, keyLength)));
                text.Append(": ");
            }
            var valueEntry = 2 * offsetSize + (isObject ? count * keyEntrySize : 0) + i * valueEntrySize;
            var type = data[valueEntry];
            // Small scalars are inlined in the entry's offset field.
            var inlined = type is Literal or Int16 or UInt16 || (large && type is Int32 or UInt32);
            if (inlined) WriteValue(text, type, data, valueEntry + 1, depth + 1);
            else WriteValue(text, type, data, ReadOffset(data, valueEntry + 1, large), depth + 1);
        }
        text.Append(isObject ? '}' : ']');
    }

    private static void WriteOpaque(StringBuilder text, ColumnType fieldType, ReadOnlySpan<byte> data)
    {
        switch (fieldType)
        {
            case ColumnType.NewDecimal when data.Length >= 2:
                text.Append(RowValueDecoder.DecodeDecimal(data[2..], data[0], data[1]).Text);
                return;
            case ColumnType.Date or ColumnType.Time or ColumnType.DateTime or ColumnType.Timestamp when data.Length >= 8:
                text.Append('"').Append(FormatPackedTemporal(fieldType, BinaryPrimitives.ReadInt64LittleEndian(data))).Append('"');
                return;
            default:
                text.Append("\"base64:type").Append((int)fieldType).Append(':').Append(Convert.ToBase64String(data)).Append('"');
                return;
        }
    }

    /// <summary>The packed longlong temporal of sql-common/my_time.cc (TIME_to_longlong_*_packed).</summary>
    private static string FormatPackedTemporal(ColumnType type, long packed)
    {
        var negative = packed < 0;
        if (negative) packed = -packed;
        var micro = packed % (1 << 24);
        var integral = packed >> 24;
        if (type == ColumnType.Time)
        {
            var hour = (integral >> 12) % (1 << 10);
            return $"{(negative ? "-" : "")}{hour:D2}:{(integral >> 6) % 64:D2}:{integral % 64:D2}.{micro:D6}";
        }
        var ymd = integral >> 17;
        var ym = ymd >> 5;
        var hms = integral % (1 << 17);
        var date = $"{ym / 13:D4}-{ym % 13:D2}-{ymd % 32:D2}";
        return type == ColumnType.Date ? date : $"{date} {hms >> 12:D2}:{(hms >> 6) % 64:D2}:{hms % 64:D2}.{micro:D6}";
    }

    private static void WriteDouble(StringBuilder text, double value)
    {
        var s = value.ToString("R", CultureInfo.InvariantCulture);
        text.Append(s);
        // MySQL prints whole doubles with ".0" so that they stay doubles when read back.
        if (double.IsFinite(value) && !s.Contains('.') && !s.Contains('E')) text.Append(".0");
    }

    internal static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    if (c < 0x20) text.Append("\\u").Append(((int)c).ToString("x4"));
                    else text.Append(c);
                    break;
            }
        }
        text.Append('"');
    }

    /// <summary>Lengths in the JSON format: 7 bits per byte, low bits first, high bit = more bytes follow.</summary>
    internal static (int Value, int BytesUsed) ReadVariableLength(ReadOnlySpan<byte> data, int offset)
    {
        var value = 0L;
        for (var i = 0; i < 5; i++)
        {
            var b = Byte(data, offset + i);
            value |= (long)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (value > int.MaxValue) break;
                return ((int)value, i + 1);
            }
        }
        throw Error($"invalid variable-length integer at offset {offset}");
    }

    private static int ReadOffset(ReadOnlySpan<byte> data, int offset, bool large)
    {
        if (!large) return BinaryPrimitives.ReadUInt16LittleEndian(Slice(data, offset, 2));
        var v = BinaryPrimitives.ReadUInt32LittleEndian(Slice(data, offset, 4));
        return v > int.MaxValue ? throw Error($"offset {v} is too large") : (int)v;
    }

    private static byte Byte(ReadOnlySpan<byte> data, int offset) =>
        (uint)offset < (uint)data.Length ? data[offset] : throw Error($"value at offset {offset} is beyond the {data.Length} bytes");

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> data, int offset, int length) =>
        offset >= 0 && length >= 0 && offset + length <= data.Length ? data.Slice(offset, length)
            : throw Error($"{length} bytes at offset {offset} are beyond the {data.Length} bytes");

    private static int Checked(ReadOnlySpan<byte> data, int offset, int length) => Slice(data, offset, length).Length == length ? offset : 0;

    private static BinlogFormatException Error(string message) => new($"binary JSON: {message}");
}
