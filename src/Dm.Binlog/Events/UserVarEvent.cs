using System.Text;
using Dm.Binlog.Protocol;

namespace Dm.Binlog.Events;

/// <summary>USER_VAR_EVENT: a user variable used by the next statement.</summary>
public sealed class UserVarEvent : BinlogEvent
{
    public string Name { get; init; } = "";
    public bool IsNull { get; init; }
    /// <summary>Item_result: 0 STRING, 1 REAL, 2 INT, 4 DECIMAL.</summary>
    public byte ValueType { get; init; }
    public uint Collation { get; init; }
    public byte[] Value { get; init; } = [];
    public byte Flags { get; init; }

    internal static UserVarEvent Parse(ReadOnlySpan<byte> body)
    {
        var reader = new PayloadReader(body);
        var name = Encoding.UTF8.GetString(reader.ReadBytes((int)Math.Min(reader.ReadUInt32(), int.MaxValue)));
        var isNull = reader.ReadByte() != 0;
        if (isNull) return new UserVarEvent { Name = name, IsNull = true };
        var type = reader.ReadByte();
        var collation = reader.ReadUInt32();
        var value = reader.ReadBytes((int)Math.Min(reader.ReadUInt32(), int.MaxValue)).ToArray();
        var flags = reader.IsAtEnd ? (byte)0 : reader.ReadByte();
        return new UserVarEvent { Name = name, ValueType = type, Collation = collation, Value = value, Flags = flags };
    }
}
