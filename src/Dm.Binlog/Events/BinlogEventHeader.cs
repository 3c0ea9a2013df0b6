using System.Buffers.Binary;

namespace Dm.Binlog.Events;

/// <summary>The 19-byte common header of every binlog event (v4).</summary>
public readonly record struct BinlogEventHeader(
    uint Timestamp,
    BinlogEventType EventType,
    uint ServerId,
    uint EventSize,
    uint NextPosition,
    ushort Flags)
{
    public const int Size = 19;

    /// <summary>LOG_EVENT_ARTIFICIAL_F: made up by the sender (e.g. the fake ROTATE at the start of a dump), not in the file.</summary>
    public bool IsArtificial => (Flags & 0x20) != 0;

    public static BinlogEventHeader Read(ReadOnlySpan<byte> bytes) => new(
        BinaryPrimitives.ReadUInt32LittleEndian(bytes),
        (BinlogEventType)bytes[4],
        BinaryPrimitives.ReadUInt32LittleEndian(bytes[5..]),
        BinaryPrimitives.ReadUInt32LittleEndian(bytes[9..]),
        BinaryPrimitives.ReadUInt32LittleEndian(bytes[13..]),
        BinaryPrimitives.ReadUInt16LittleEndian(bytes[17..]));
}
