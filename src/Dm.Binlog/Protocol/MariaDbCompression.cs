using System.IO.Compression;

namespace Dm.Binlog.Protocol;

/// <summary>
/// MariaDB log_bin_compress format (sql/log_event.cc, binlog_buf_compress): one byte 0x80|n, the
/// uncompressed length in n big-endian bytes, then a zlib stream. Used for the query text of
/// QUERY_COMPRESSED_EVENT and for the row data of the *_ROWS_COMPRESSED events.
/// </summary>
internal static class MariaDbCompression
{
    public static byte[] Decompress(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2 || (data[0] & 0x80) == 0)
            throw new BinlogFormatException("compressed event data does not start with a 0x80 length header");
        var lengthBytes = data[0] & 0x07;
        if (lengthBytes is < 1 or > 4 || data.Length < 1 + lengthBytes)
            throw new BinlogFormatException($"compressed event data has an invalid length header 0x{data[0]:X2}");
        long length = 0;
        for (var i = 1; i <= lengthBytes; i++) length = length << 8 | data[i];
        if (length > Array.MaxLength) throw new BinlogFormatException($"compressed event claims {length} uncompressed bytes");
        var output = new byte[length];
        try
        {
            using var source = new MemoryStream(data[(1 + lengthBytes)..].ToArray(), writable: false);
            using var zlib = new ZLibStream(source, CompressionMode.Decompress);
            var read = 0;
            while (read < output.Length)
            {
                var n = zlib.Read(output, read, output.Length - read);
                if (n == 0) break;
                read += n;
            }
            if (read != output.Length)
                throw new BinlogFormatException($"compressed event expanded to {read} bytes, header says {length}");
        }
        catch (InvalidDataException e)
        {
            throw new BinlogFormatException($"compressed event data is not a valid zlib stream: {e.Message}", e);
        }
        return output;
    }
}
