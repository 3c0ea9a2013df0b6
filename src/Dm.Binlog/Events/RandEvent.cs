namespace Dm.Binlog.Events;

/// <summary>RAND_EVENT: the RAND() seeds of the next statement.</summary>
public sealed class RandEvent : BinlogEvent
{
    public ulong Seed1 { get; init; }
    public ulong Seed2 { get; init; }
}
