using System.Buffers.Binary;
using System.Text;

namespace Dm.Binlog.Tests;

/// <summary>
/// Builds MySQL binary JSON as documented in MySQL source sql/json_binary.h ("JSON binary format"):
/// doc ::= type value; objects/arrays: element-count, size, key-entries, value-entries, keys, values;
/// small containers use 2-byte counts and offsets, large ones 4-byte; literals and 16-bit integers
/// (and 32-bit ones in large containers) are inlined in the value entry.
/// </summary>
internal static class MySqlJsonBuilder
{
    public static byte[] Document(object? value, bool large = false)
    {
        var (type, bytes) = Encode(value, large);
        return [type, .. bytes];
    }

    private static (byte Type, byte[] Bytes) Encode(object? value, bool large) => value switch
    {
        null => (0x04, [0x00]),
        true => (0x04, [0x01]),
        false => (0x04, [0x02]),
        short s => (0x05, LE16((ushort)s)),
        int i => (0x07, BitConverter.GetBytes(i)),
        long l => (0x09, BitConverter.GetBytes(l)),
        ulong u => (0x0A, BitConverter.GetBytes(u)),
        double d => (0x0B, BitConverter.GetBytes(d)),
        string s => (0x0C, [.. VarLength(Encoding.UTF8.GetByteCount(s)), .. Encoding.UTF8.GetBytes(s)]),
        IReadOnlyList<KeyValuePair<string, object?>> o => (large ? (byte)0x01 : (byte)0x00, Container(o.Select(kv => ((string?)kv.Key, kv.Value)).ToList(), true, large)),
        object?[] a => (large ? (byte)0x03 : (byte)0x02, Container(a.Select(v => ((string?)null, v)).ToList(), false, large)),
        (byte fieldType, byte[] opaque) => (0x0F, [fieldType, .. VarLength(opaque.Length), .. opaque]),
        _ => throw new ArgumentException($"cannot encode {value}"),
    };

    private static byte[] Container(List<(string? Key, object? Value)> items, bool isObject, bool large)
    {
        var o = large ? 4 : 2;
        var n = items.Count;
        var header = 2 * o + (isObject ? n * (o + 2) : 0) + n * (1 + o);
        var keys = new List<byte[]>();
        var tail = new List<byte>();
        var keyEntries = new List<byte>();
        var valueEntries = new List<byte>();
        var keyBytesTotal = isObject ? items.Sum(i => Encoding.UTF8.GetByteCount(i.Key!)) : 0;
        var keyOffset = header;
        foreach (var (key, _) in items)
        {
            if (!isObject) break;
            var k = Encoding.UTF8.GetBytes(key!);
            keyEntries.AddRange(Offset(keyOffset, large));
            keyEntries.AddRange(LE16((ushort)k.Length));
            keys.Add(k);
            keyOffset += k.Length;
        }
        var valueOffset = header + keyBytesTotal;
        foreach (var (_, value) in items)
        {
            var (type, bytes) = Encode(value, large);
            valueEntries.Add(type);
            var inline = type is 0x04 or 0x05 or 0x06 || (large && type is 0x07 or 0x08);
            if (inline)
            {
                var field = new byte[o];
                bytes.AsSpan(0, Math.Min(bytes.Length, o)).CopyTo(field);
                valueEntries.AddRange(field);
            }
            else
            {
                valueEntries.AddRange(Offset(valueOffset + tail.Count, large));
                tail.AddRange(bytes);
            }
        }
        var size = valueOffset + tail.Count;
        return [.. Offset(n, large), .. Offset(size, large), .. keyEntries, .. valueEntries, .. keys.SelectMany(k => k), .. tail];
    }

    private static byte[] Offset(int value, bool large) => large ? BitConverter.GetBytes(value) : LE16((ushort)value);

    private static byte[] LE16(ushort v)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        return b;
    }

    public static byte[] VarLength(int value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            if (value != 0) b |= 0x80;
            bytes.Add(b);
        } while (value != 0);
        return [.. bytes];
    }

    public static IReadOnlyList<KeyValuePair<string, object?>> Obj(params (string Key, object? Value)[] items) =>
        items.Select(i => new KeyValuePair<string, object?>(i.Key, i.Value)).ToList();
}
