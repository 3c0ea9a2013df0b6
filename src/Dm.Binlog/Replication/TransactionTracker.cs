using Dm.Binlog.Events;
using Dm.Binlog.Gtid;

namespace Dm.Binlog.Replication;

/// <summary>
/// Follows event groups to know the GTID position after the last complete transaction: a GTID event
/// opens a group; XID, COMMIT/ROLLBACK after BEGIN, or the single statement of a group without BEGIN closes it.
/// </summary>
internal sealed class TransactionTracker
{
    private MariaDbGtid? _pendingMariaDb;
    private (Guid Sid, long Gno)? _pendingMySql;
    private bool _inTransaction;

    public TransactionTracker(MariaDbGtidList? mariaDb, MySqlGtidSet? mySql)
    {
        MariaDbPosition = mariaDb?.Clone() ?? new MariaDbGtidList();
        MySqlExecuted = mySql?.Clone() ?? new MySqlGtidSet();
    }

    public MariaDbGtidList MariaDbPosition { get; }
    public MySqlGtidSet MySqlExecuted { get; }

    /// <summary>Whether the last event seen was inside an open event group.</summary>
    public bool InGroup => _pendingMariaDb != null || _pendingMySql != null || _inTransaction;

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
        if (_pendingMariaDb is { } m) MariaDbPosition.Add(m);
        if (_pendingMySql is { } s) MySqlExecuted.Add(s.Sid, s.Gno);
        _pendingMariaDb = null;
        _pendingMySql = null;
        _inTransaction = false;
    }
}
