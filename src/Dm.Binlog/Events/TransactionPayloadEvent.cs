using Dm.Binlog.Protocol;

namespace Dm.Binlog.Events;

/// <summary>
/// MySQL 8.0.20+ TRANSACTION_PAYLOAD_EVENT (binlog_transaction_compression): a whole transaction's events,
/// zstd-compressed (MySQL source: libbinlogevents/include/compression/ and
/// binary_log::Transaction_payload_event; refman "Binary Log Transaction Compression").
/// Header fields are (type, length, value) triples of packed integers, ended by field 0; the payload follows.
/// </summary>
public sealed class TransactionPayloadEvent : BinlogEvent
{
    private const ulong EndMark = 0;
    private const ulong PayloadSizeField = 1;
    private const ulong CompressionTypeField = 2;
    private const ulong UncompressedSizeField = 3;

    public const byte CompressionZstd = 0;
    public const byte CompressionNone = 255;

    public byte CompressionType { get; init; }
    public ulong UncompressedSize { get; init; }

    /// <summary>The transaction's events (GTID excluded: it precedes this event), without checksums.</summary>
    public IReadOnlyList<BinlogEvent> Events { get; init; } = [];

    internal static (byte Compression, ulong UncompressedSize, ReadOnlyMemory<byte> Payload) ReadHeader(ReadOnlyMemory<byte> body)
    {
        var reader = new PayloadReader(body.Span);
        ulong payloadSize = 0, uncompressedSize = 0;
        byte compression = CompressionNone;
        while (true)
        {
            var field = reader.ReadLengthEncodedInteger();
            if (field == EndMark) break;
            var length = reader.ReadLengthEncodedLength();
            var value = new PayloadReader(reader.ReadBytes(length));
            switch (field)
            {
                case PayloadSizeField: payloadSize = value.ReadLengthEncodedInteger(); break;
                case CompressionTypeField: compression = (byte)value.ReadLengthEncodedInteger(); break;
                case UncompressedSizeField: uncompressedSize = value.ReadLengthEncodedInteger(); break;
            }
        }
        var payload = body[reader.Offset..];
        if (payloadSize != 0 && payloadSize != (ulong)payload.Length)
            throw new BinlogFormatException($"TRANSACTION_PAYLOAD says {payloadSize} payload bytes, {payload.Length} follow");
        return (compression, uncompressedSize, payload);
    }

    internal static byte[] Decompress(byte compression, ulong uncompressedSize, ReadOnlySpan<byte> payload)
    {
        if (compression == CompressionNone) return payload.ToArray();
        if (compression != CompressionZstd) throw new BinlogFormatException($"TRANSACTION_PAYLOAD compression type {compression} is unknown");
        if (uncompressedSize > int.MaxValue) throw new BinlogFormatException($"TRANSACTION_PAYLOAD uncompressed size {uncompressedSize} is too large");
        try
        {
            using var zstd = new ZstdSharp.Decompressor();
            var output = new byte[uncompressedSize];
            var written = zstd.Unwrap(payload, output);
            if ((ulong)written != uncompressedSize)
                throw new BinlogFormatException($"TRANSACTION_PAYLOAD expanded to {written} bytes, header says {uncompressedSize}");
            return output;
        }
        catch (ZstdSharp.ZstdException e)
        {
            throw new BinlogFormatException($"TRANSACTION_PAYLOAD zstd data is invalid: {e.Message}", e);
        }
    }
}
