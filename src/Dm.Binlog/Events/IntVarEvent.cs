namespace Dm.Binlog.Events;

/// <summary>INTVAR_EVENT: LAST_INSERT_ID (type 1) or INSERT_ID (type 2) for the next statement.</summary>
public sealed class IntVarEvent : BinlogEvent
{
    public byte VariableType { get; init; }
    public ulong Value { get; init; }
}
