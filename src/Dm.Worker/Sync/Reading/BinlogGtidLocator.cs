using Dm.Binlog.Events;
using Dm.Binlog.Replication;

namespace Dm.Worker.Sync.Reading;

/// <summary>
/// The GTIDs executed up to a binlog position, for a start given by file and position alone (a task's meta, its
/// start_time): read from the start of that file, whose first events state the GTIDs before it (MariaDB's Gtid_list,
/// MySQL's Previous_gtids), through every transaction up to the position. Null when the binlog has no GTIDs.
/// </summary>
internal static class BinlogGtidLocator
{
    public static async Task<BinlogLocation> LocateAsync(BinlogClientOptions options, BinlogPosition position, CancellationToken cancellationToken)
    {
        var client = new BinlogClient(options with { StartPosition = new BinlogPosition(position.FileName, 4), StartGtid = null, StopAtEnd = true });
        Dm.Binlog.Gtid.GtidSet? before = null;
        await foreach (var ev in client.ReadEventsAsync(cancellationToken))
        {
            switch (ev)
            {
                case MariaDbGtidListEvent list when before is null:
                    // The list may name a domain once per server that wrote to it: the position is the latest of them.
                    before = list.Gtids.Aggregate(new Dm.Binlog.Gtid.MariaDbGtidList(), (all, g) => all.Union(new Dm.Binlog.Gtid.MariaDbGtidList([g])));
                    break;
                case PreviousGtidsEvent previous when before is null:
                    before = previous.GtidSet.Clone();
                    break;
            }
            if (ev.ResumePosition.FileName != position.FileName || ev.ResumePosition.Position >= position.Position) break;
        }
        var executed = client.ExecutedGtid;
        var set = before is null ? executed?.Clone() : executed is null ? before : before.Union(executed);
        return new BinlogLocation(position, set is { IsEmpty: false } ? set : null);
    }
}
