using System.Buffers.Binary;

namespace Dm.Binlog.Protocol;

/// <summary>
/// MySQL packet framing over a stream: 3-byte length, 1-byte sequence id, payload; payloads of
/// 0xFFFFFF bytes continue in the next packet. Received payloads live in chunks that are never
/// overwritten, so callers (and decoded events) may keep the memory returned by <see cref="ReadPayloadAsync"/>.
/// </summary>
internal sealed class PacketStream
{
    private const int MaxPacketPayload = 0xFFFFFF;
    private const int ChunkSize = 64 * 1024;

    private Stream _stream;
    private byte[] _chunk = GC.AllocateUninitializedArray<byte>(ChunkSize);
    private int _start;
    private int _end;

    public PacketStream(Stream stream) => _stream = stream;

    public byte SequenceId { get; set; }

    /// <summary>Switches to another stream over the same connection (after the TLS upgrade).</summary>
    public void Replace(Stream stream)
    {
        if (_end != _start) throw new InvalidOperationException("bytes left unread before the TLS upgrade");
        _stream = stream;
    }

    public async ValueTask<ReadOnlyMemory<byte>> ReadPayloadAsync(CancellationToken cancellationToken)
    {
        var (first, length) = await ReadPacketAsync(cancellationToken);
        if (length < MaxPacketPayload) return first;
        // A payload of 16 MiB or more: join the continuation packets into one array.
        var parts = new List<ReadOnlyMemory<byte>> { first };
        var total = (long)length;
        while (length == MaxPacketPayload)
        {
            ReadOnlyMemory<byte> next;
            (next, length) = await ReadPacketAsync(cancellationToken);
            parts.Add(next);
            total += length;
        }
        if (total > Array.MaxLength) throw new BinlogFormatException($"packet of {total} bytes is too large");
        var joined = new byte[total];
        var at = 0;
        foreach (var part in parts)
        {
            part.Span.CopyTo(joined.AsSpan(at));
            at += part.Length;
        }
        return joined;
    }

    private async ValueTask<(ReadOnlyMemory<byte> Payload, int Length)> ReadPacketAsync(CancellationToken cancellationToken)
    {
        await FillAsync(4, cancellationToken);
        var length = _chunk[_start] | _chunk[_start + 1] << 8 | _chunk[_start + 2] << 16;
        SequenceId = (byte)(_chunk[_start + 3] + 1);
        _start += 4;
        await FillAsync(length, cancellationToken);
        var payload = new ReadOnlyMemory<byte>(_chunk, _start, length);
        _start += length;
        return (payload, length);
    }

    /// <summary>Makes at least <paramref name="count"/> unread bytes available in the current chunk.</summary>
    private async ValueTask FillAsync(int count, CancellationToken cancellationToken)
    {
        if (_end - _start >= count) return;
        // The old chunk may still be referenced by payloads handed out.
        ChunkRoom.Ensure(ref _chunk, ref _start, ref _end, count, ChunkSize);
        while (_end - _start < count)
        {
            var read = await _stream.ReadAsync(_chunk.AsMemory(_end), cancellationToken);
            if (read == 0) throw new EndOfStreamException("the server closed the connection");
            _end += read;
        }
    }

    public async ValueTask WritePayloadAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        do
        {
            var part = payload[..Math.Min(payload.Length, MaxPacketPayload)];
            BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)part.Length);
            header[3] = SequenceId++;
            await _stream.WriteAsync(header, cancellationToken);
            await _stream.WriteAsync(part, cancellationToken);
            payload = payload[part.Length..];
            if (part.Length < MaxPacketPayload) break;
        } while (true);
        await _stream.FlushAsync(cancellationToken);
    }
}
