using Dm.Binlog.Events;
using Dm.Worker.Sync.Checkpointing;

namespace Dm.Worker.Sync.Reading;

/// <summary>What one binlog event is to the upstream transaction being read (<see cref="TransactionAssembler.Classify"/>).</summary>
internal enum TransactionEvent
{
    /// <summary>Nothing to apply (a table map, a rotate, a format description...).</summary>
    None,

    /// <summary>A GTID event: it opens a transaction, in place of any left open.</summary>
    Opens,

    /// <summary>BEGIN or XA START: it opens a transaction unless a GTID event already did.</summary>
    Begins,

    /// <summary>A rows event: a change of the open transaction (it opens one when none is).</summary>
    Rows,

    /// <summary>XID, COMMIT, ROLLBACK, XA END or XA COMMIT: the end of the open transaction.</summary>
    Ends,

    /// <summary>SAVEPOINT, ROLLBACK TO or XA PREPARE inside a transaction: nothing for the target.</summary>
    Ignored,

    /// <summary>Any other statement: a DDL applied on its own, which ends an ungrouped transaction (its GTID's); inside a grouped one, part of it.</summary>
    Statement,

    /// <summary>The upstream's heartbeat: no event, but the stream is alive.</summary>
    Heartbeat,
}

/// <summary>
/// Assembles upstream transactions from binlog events: says which event opens a transaction (a GTID event, BEGIN or XA
/// START, a rows event outside one), which ends it (XID, COMMIT, ROLLBACK, XA END, XA COMMIT), which is ignored inside one
/// (SAVEPOINT, ROLLBACK TO, XA PREPARE) and which is a statement of its own, and holds the transaction being read. A
/// transaction is named by the position right after its opening event, and marked to skip when an applied row of an
/// earlier run names it. No I/O: the run acts on what it says.
/// </summary>
internal sealed class TransactionAssembler(AppliedRecords applied)
{
    /// <summary>The transaction being read; null between transactions.</summary>
    public SyncTransaction? Current { get; private set; }

    /// <summary>What <paramref name="ev"/> is, given whether a transaction is open.</summary>
    public static TransactionEvent Classify(BinlogEvent ev, bool inTransaction)
    {
        switch (ev)
        {
            case MariaDbGtidEvent or MySqlGtidEvent: return TransactionEvent.Opens;
            case RowsEvent: return TransactionEvent.Rows;
            case XidEvent: return TransactionEvent.Ends;
            case HeartbeatEvent: return TransactionEvent.Heartbeat;
            case QueryEvent query:
                var text = query.Query.AsSpan().Trim();
                if (text.Equals("BEGIN", StringComparison.OrdinalIgnoreCase) || text.StartsWith("XA START", StringComparison.OrdinalIgnoreCase))
                    return TransactionEvent.Begins;
                if (text.Equals("COMMIT", StringComparison.OrdinalIgnoreCase) || text.Equals("ROLLBACK", StringComparison.OrdinalIgnoreCase) ||
                    text.StartsWith("XA END", StringComparison.OrdinalIgnoreCase) || text.StartsWith("XA COMMIT", StringComparison.OrdinalIgnoreCase))
                    return TransactionEvent.Ends;
                if (inTransaction && (text.StartsWith("SAVEPOINT", StringComparison.OrdinalIgnoreCase) ||
                                      text.StartsWith("ROLLBACK TO", StringComparison.OrdinalIgnoreCase) ||
                                      text.StartsWith("XA PREPARE", StringComparison.OrdinalIgnoreCase)))
                    return TransactionEvent.Ignored;
                return TransactionEvent.Statement;
            default:
                return TransactionEvent.None;
        }
    }

    /// <summary>Classifies <paramref name="ev"/> and opens the transaction a GTID event or BEGIN starts.</summary>
    public TransactionEvent Accept(BinlogEvent ev)
    {
        var kind = Classify(ev, Current is not null);
        if (kind == TransactionEvent.Opens) Current = Open(ev);
        else if (kind == TransactionEvent.Begins) (Current ??= Open(ev)).Grouped = true;
        return kind;
    }

    /// <summary>The open transaction, or one opened by <paramref name="rows"/> (rows read outside any transaction).</summary>
    public SyncTransaction OpenForRows(RowsEvent rows) => Current ??= Open(rows);

    /// <summary>Ends the open transaction (at its end, or at a statement) and returns it; null when none was open.</summary>
    public SyncTransaction? Close()
    {
        var transaction = Current;
        Current = null;
        return transaction;
    }

    /// <summary>A transaction opened by <paramref name="ev"/>; skipped when an applied row names it.</summary>
    private SyncTransaction Open(BinlogEvent ev)
    {
        var id = ev.ResumePosition;
        return new SyncTransaction
        {
            Id = id, Timestamp = ev.Header.Timestamp, Skip = applied.TakeTransaction(id), Grouped = ev is MariaDbGtidEvent { IsStandalone: false },
        };
    }
}
