using System.Buffers.Binary;
using Dm.Binlog.Events;

namespace Dm.Binlog.Tests;

/// <summary>Builds whole binlog events (19-byte v4 header, body, optional CRC32) for unit tests.</summary>
internal static class EventBytes
{
    public static byte[] Build(BinlogEventType type, byte[] body, bool checksum = true, uint nextPosition = 0, uint serverId = 1)
    {
        var size = 19 + body.Length + (checksum ? 4 : 0);
        var bytes = new byte[size];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, 1_700_000_000);
        bytes[4] = (byte)type;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(5), serverId);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(9), (uint)size);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(13), nextPosition);
        body.CopyTo(bytes, 19);
        if (checksum) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(size - 4), Crc32.Compute(bytes.AsSpan(0, size - 4)));
        return bytes;
    }

    /// <summary>TABLE_MAP body (post-header 8: table id 6 bytes + flags), no optional metadata unless given.</summary>
    public static byte[] TableMap(ulong tableId, string db, string table, byte[] types, byte[] metadata, byte[] nullBitmap, byte[]? optional = null)
    {
        var body = new List<byte>();
        body.AddRange(BitConverter.GetBytes(tableId)[..6]);
        body.AddRange([1, 0]);
        body.Add((byte)db.Length); body.AddRange(System.Text.Encoding.UTF8.GetBytes(db)); body.Add(0);
        body.Add((byte)table.Length); body.AddRange(System.Text.Encoding.UTF8.GetBytes(table)); body.Add(0);
        body.Add((byte)types.Length); body.AddRange(types);
        body.Add((byte)metadata.Length); body.AddRange(metadata);
        body.AddRange(nullBitmap);
        if (optional != null) body.AddRange(optional);
        return [.. body];
    }

    /// <summary>Rows v2 body (post-header 10: table id, flags, extra-data length 2): width, bitmaps, rows.</summary>
    public static byte[] RowsV2(ulong tableId, int columns, byte[] rows, bool update = false)
    {
        var bitmap = Enumerable.Repeat((byte)0xFF, (columns + 7) / 8).ToArray();
        return [.. BitConverter.GetBytes(tableId)[..6], 1, 0, 2, 0, (byte)columns, .. bitmap, .. (update ? bitmap : []), .. rows];
    }
}
