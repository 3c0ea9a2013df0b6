using Dm.Binlog.Replication;
using Dm.Sql.Dml;
using Dm.Worker.Sync.Planning;

namespace Dm.Worker.Sync;

/// <summary>
/// One upstream transaction turned into target statements: applied whole, in one target transaction
/// (possibly with others), by one writer. <see cref="Keys"/> are its causality keys.
/// </summary>
internal sealed class SyncTransaction
{
    /// <summary>The position just after the event that opened it (GTID or BEGIN): its name in the applied table.</summary>
    public required BinlogPosition Id { get; init; }

    /// <summary>Already applied before a crash (named by an applied row): read past, not applied again.</summary>
    public bool Skip { get; init; }

    /// <summary>
    /// Whether the upstream grouped several events into this transaction (BEGIN, or a MariaDB GTID event without its
    /// standalone flag): a statement met inside it is part of it, not a DDL of its own that ends it.
    /// </summary>
    public bool Grouped { get; set; }

    /// <summary>
    /// A value of it is one a strict target session refuses although the upstream holds it (an empty ENUM value a non-strict
    /// upstream stored): its batch runs under the target's non-strict sql_mode.
    /// </summary>
    public bool Lenient { get; set; }

    public long Sequence { get; set; }
    public BinlogLocation End { get; set; } = null!;
    /// <summary>Statements for changes to tables that are not mergeable, in binlog order.</summary>
    public List<DmlStatement> Statements { get; } = [];

    /// <summary>Changes to mergeable tables, kept as data until the writer builds its batch (<see cref="Applying.BatchStatements"/>).</summary>
    public List<PlannedRow> Rows { get; } = [];

    /// <summary>Row changes and statements this transaction adds to a batch.</summary>
    public int Size => Statements.Count + Rows.Count;
    public List<string> Keys { get; } = [];
    public uint Timestamp { get; set; }
    public int RowChanges { get; set; }
}
