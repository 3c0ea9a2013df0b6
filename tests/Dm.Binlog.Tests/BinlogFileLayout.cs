using System.Buffers.Binary;
using Dm.Binlog.Events;

namespace Dm.Binlog.Tests;

/// <summary>Where the events of a binlog file's bytes lie, for tests that damage or cut them.</summary>
internal static class BinlogFileLayout
{
    /// <summary>(position, type, size) of every event in a binlog file.</summary>
    public static List<(int Position, BinlogEventType Type, int Size)> Of(byte[] file)
    {
        var list = new List<(int, BinlogEventType, int)>();
        for (var at = 4; at + 19 <= file.Length;)
        {
            var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 9));
            list.Add((at, (BinlogEventType)file[at + 4], size));
            at += size;
        }
        return list;
    }
}
