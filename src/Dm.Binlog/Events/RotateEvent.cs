using System.Text;
using Dm.Binlog.Protocol;

namespace Dm.Binlog.Events;

/// <summary>ROTATE_EVENT: the next events come from <see cref="NextFileName"/> at <see cref="Position"/>.</summary>
public sealed class RotateEvent : BinlogEvent
{
    public long Position { get; init; }
    public string NextFileName { get; init; } = "";

    internal static RotateEvent Parse(ReadOnlySpan<byte> body, int postHeaderLength)
    {
        var reader = new PayloadReader(body);
        var position = postHeaderLength >= 8 ? (long)reader.ReadUInt64() : 4;
        return new RotateEvent { Position = position, NextFileName = Encoding.UTF8.GetString(reader.ReadToEnd()) };
    }
}
