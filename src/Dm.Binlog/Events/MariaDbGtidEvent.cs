using Dm.Binlog.Gtid;

namespace Dm.Binlog.Events;

/// <summary>MariaDB GTID_EVENT: starts an event group (transaction or standalone DDL) with its GTID.</summary>
public sealed class MariaDbGtidEvent : BinlogEvent
{
    public const byte FlagStandalone = 1;
    public const byte FlagGroupCommitId = 2;
    public const byte FlagTransactional = 4;
    public const byte FlagDdl = 32;

    public MariaDbGtid Gtid { get; init; }
    public byte Flags { get; init; }
    public ulong? CommitId { get; init; }

    /// <summary>FL_STANDALONE: the group is one statement without BEGIN/COMMIT (e.g. DDL).</summary>
    public bool IsStandalone => (Flags & FlagStandalone) != 0;
}
