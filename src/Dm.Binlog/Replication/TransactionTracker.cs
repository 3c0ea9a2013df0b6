using Dm.Binlog.Events;
using Dm.Binlog.Gtid;

namespace Dm.Binlog.Replication;

/// <summary>
/// Follows event groups to know the GTID position after the last complete transaction: a GTID event
/// opens a group; XID, COMMIT/ROLLBACK after BEGIN, or the single statement of a group without BEGIN closes it.
/// Every reader of a binlog stream that reports GTIDs uses it (the replication client, DM's relay log writer and reader).
/// </summary>
public sealed class TransactionTracker
{
    private MariaDbGtid? _pendingMariaDb;
    private (Guid Sid, long Gno)? _pendingMySql;
    private bool _inTransaction;

    /// <param name="start">The GTIDs executed before the first event read (copied); null when unknown.</param>
    public TransactionTracker(GtidSet? start)
    {
        Executed = start?.Clone();
    }

    /// <summary>
    /// The GTIDs executed up to the last complete transaction: the start set with every GTID completed since; created at the
    /// first completed GTID when there was no start set. A stream of the other flavor than the start set is a format error.
    /// </summary>
    public GtidSet? Executed { get; private set; }

    /// <summary>Whether the last event seen was inside an open event group.</summary>
    public bool InGroup => _pendingMariaDb != null || _pendingMySql != null || _inTransaction;

    /// <summary>
    /// Takes the GTIDs a binlog file states were executed before it (MariaDB's GTID_LIST, MySQL's PREVIOUS_GTIDS) as the
    /// start when none are known yet: a stream started at the beginning of a file without a GTID set learns it there.
    /// Other events, or a start already known, change nothing.
    /// </summary>
    public void ObserveFileStart(BinlogEvent ev)
    {
        if (Executed is not null) return;
        Executed = ev switch
        {
            // The list may name a domain once per server that wrote to it: the position is the latest of them.
            MariaDbGtidListEvent list => list.Gtids.Aggregate(new MariaDbGtidList(), (all, g) => all.Union(new MariaDbGtidList([g]))),
            PreviousGtidsEvent previous => previous.GtidSet.Clone(),
            _ => null,
        };
    }

    public void Observe(BinlogEvent ev)
    {
        switch (ev)
        {
            case MariaDbGtidEvent g:
                _pendingMariaDb = g.Gtid;
                _inTransaction = false;
                break;
            case MySqlGtidEvent g:
                _pendingMySql = g.IsAnonymous ? null : (g.SourceId, g.TransactionNumber);
                _inTransaction = false;
                break;
            case TransactionPayloadEvent p:
                foreach (var inner in p.Events) Observe(inner);
                break;
            case XidEvent:
                Complete();
                break;
            case QueryEvent q:
            {
                var text = q.Query.AsSpan().Trim();
                if (text.Equals("BEGIN", StringComparison.OrdinalIgnoreCase) || text.StartsWith("XA START", StringComparison.OrdinalIgnoreCase))
                    _inTransaction = true;
                else if (!_inTransaction || text.Equals("COMMIT", StringComparison.OrdinalIgnoreCase) ||
                         text.Equals("ROLLBACK", StringComparison.OrdinalIgnoreCase) || text.StartsWith("XA END", StringComparison.OrdinalIgnoreCase))
                    Complete();
                break;
            }
        }
    }

    private void Complete()
    {
        if (_pendingMariaDb is { } m) Of<MariaDbGtidList>(GtidFlavor.MariaDb).Add(m);
        if (_pendingMySql is { } s) Of<MySqlGtidSet>(GtidFlavor.MySql).Add(s.Sid, s.Gno);
        _pendingMariaDb = null;
        _pendingMySql = null;
        _inTransaction = false;
    }

    private T Of<T>(GtidFlavor flavor) where T : GtidSet
    {
        Executed ??= GtidSet.Empty(flavor);
        return Executed as T ?? throw new BinlogFormatException(
            $"the server sends {flavor} GTIDs, but the stream was started from a {Executed.Flavor} GTID set ({Executed})");
    }
}
