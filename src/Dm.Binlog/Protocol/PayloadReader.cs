using System.Buffers.Binary;
using System.Text;

namespace Dm.Binlog.Protocol;

/// <summary>
/// Little-endian cursor over one packet or event body. Every read checks the remaining length and
/// throws <see cref="BinlogFormatException"/> (never an out-of-range exception) when the bytes run out.
/// </summary>
public ref struct PayloadReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _offset;

    public PayloadReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _offset = 0;
    }

    public readonly int Offset => _offset;
    public readonly int Remaining => _buffer.Length - _offset;
    public readonly bool IsAtEnd => _offset >= _buffer.Length;
    public readonly ReadOnlySpan<byte> Rest => _buffer[_offset..];

    public void Seek(int offset)
    {
        if ((uint)offset > (uint)_buffer.Length) throw Truncated(offset - _offset);
        _offset = offset;
    }

    public void Skip(int count)
    {
        Need(count);
        _offset += count;
    }

    public byte PeekByte()
    {
        Need(1);
        return _buffer[_offset];
    }

    public byte ReadByte()
    {
        Need(1);
        return _buffer[_offset++];
    }

    public ushort ReadUInt16()
    {
        Need(2);
        var v = BinaryPrimitives.ReadUInt16LittleEndian(_buffer[_offset..]);
        _offset += 2;
        return v;
    }

    public uint ReadUInt24()
    {
        Need(3);
        var v = (uint)(_buffer[_offset] | _buffer[_offset + 1] << 8 | _buffer[_offset + 2] << 16);
        _offset += 3;
        return v;
    }

    public uint ReadUInt32()
    {
        Need(4);
        var v = BinaryPrimitives.ReadUInt32LittleEndian(_buffer[_offset..]);
        _offset += 4;
        return v;
    }

    public ulong ReadUInt48()
    {
        Need(6);
        var v = BinaryPrimitives.ReadUInt32LittleEndian(_buffer[_offset..]) | (ulong)BinaryPrimitives.ReadUInt16LittleEndian(_buffer[(_offset + 4)..]) << 32;
        _offset += 6;
        return v;
    }

    public ulong ReadUInt64()
    {
        Need(8);
        var v = BinaryPrimitives.ReadUInt64LittleEndian(_buffer[_offset..]);
        _offset += 8;
        return v;
    }

    /// <summary>Unsigned little-endian integer of 1–8 bytes.</summary>
    public ulong ReadFixed(int bytes)
    {
        Need(bytes);
        ulong v = 0;
        for (var i = bytes - 1; i >= 0; i--) v = v << 8 | _buffer[_offset + i];
        _offset += bytes;
        return v;
    }

    /// <summary>Length-encoded integer (protocol "int&lt;lenenc&gt;"); 0xFB (NULL) reads as <c>null</c>.</summary>
    public ulong? ReadLengthEncodedIntegerOrNull()
    {
        var first = ReadByte();
        return first switch
        {
            < 0xFB => first,
            0xFB => null,
            0xFC => ReadUInt16(),
            0xFD => ReadUInt24(),
            0xFE => ReadUInt64(),
            _ => throw new BinlogFormatException($"invalid length-encoded integer prefix 0xFF at offset {_offset - 1}"),
        };
    }

    public ulong ReadLengthEncodedInteger() =>
        ReadLengthEncodedIntegerOrNull() ?? throw new BinlogFormatException($"unexpected NULL length-encoded integer at offset {_offset - 1}");

    /// <summary>A length that must fit in the rest of the buffer.</summary>
    public int ReadLengthEncodedLength()
    {
        var at = _offset;
        var v = ReadLengthEncodedInteger();
        if (v > (ulong)Remaining) throw new BinlogFormatException($"length {v} at offset {at} exceeds the {Remaining} bytes left");
        return (int)v;
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        Need(count);
        var s = _buffer.Slice(_offset, count);
        _offset += count;
        return s;
    }

    public ReadOnlySpan<byte> ReadLengthEncodedBytes() => ReadBytes(ReadLengthEncodedLength());

    public ReadOnlySpan<byte> ReadNullTerminatedBytes()
    {
        var rest = _buffer[_offset..];
        var end = rest.IndexOf((byte)0);
        if (end < 0) throw new BinlogFormatException($"missing NUL terminator after offset {_offset}");
        _offset += end + 1;
        return rest[..end];
    }

    public ReadOnlySpan<byte> ReadToEnd()
    {
        var s = _buffer[_offset..];
        _offset = _buffer.Length;
        return s;
    }

    public string ReadNullTerminatedString() => Encoding.UTF8.GetString(ReadNullTerminatedBytes());
    public string ReadString(int count) => Encoding.UTF8.GetString(ReadBytes(count));
    public string ReadLengthEncodedString() => Encoding.UTF8.GetString(ReadLengthEncodedBytes());

    private readonly void Need(int count)
    {
        if (count < 0 || _offset + count > _buffer.Length) throw Truncated(count);
    }

    private readonly BinlogFormatException Truncated(int count) =>
        new($"needed {count} bytes at offset {_offset} but only {_buffer.Length - _offset} remain");
}
