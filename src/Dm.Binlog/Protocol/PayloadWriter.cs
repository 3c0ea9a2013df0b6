using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Dm.Binlog.Protocol;

/// <summary>Builds one command payload (little-endian) in a growable pooled-free buffer.</summary>
public sealed class PayloadWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public int Length => _buffer.WrittenCount;
    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    public PayloadWriter WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
        return this;
    }

    public PayloadWriter WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
        return this;
    }

    public PayloadWriter WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
        return this;
    }

    public PayloadWriter WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
        return this;
    }

    public PayloadWriter WriteLengthEncodedInteger(ulong value)
    {
        switch (value)
        {
            case < 0xFB: WriteByte((byte)value); break;
            case <= 0xFFFF: WriteByte(0xFC).WriteUInt16((ushort)value); break;
            case <= 0xFFFFFF: WriteByte(0xFD).WriteUInt16((ushort)value).WriteByte((byte)(value >> 16)); break;
            default: WriteByte(0xFE).WriteUInt64(value); break;
        }
        return this;
    }

    public PayloadWriter WriteBytes(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    public PayloadWriter WriteZeros(int count)
    {
        _buffer.GetSpan(count)[..count].Clear();
        _buffer.Advance(count);
        return this;
    }

    public PayloadWriter WriteNullTerminatedString(string value) => WriteString(value).WriteByte(0);

    public PayloadWriter WriteString(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(count));
        _buffer.Advance(count);
        return this;
    }

    public PayloadWriter WriteLengthEncodedBytes(ReadOnlySpan<byte> bytes) =>
        WriteLengthEncodedInteger((ulong)bytes.Length).WriteBytes(bytes);
}
