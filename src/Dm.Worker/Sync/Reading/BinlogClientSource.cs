using Dm.Binlog.Events;
using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;

namespace Dm.Worker.Sync.Reading;

/// <summary>The upstream's binlog through DM#'s replication client: each read is a new dump connection resuming at the client's position.</summary>
internal sealed class BinlogClientSource(BinlogClient client) : IBinlogEventSource
{
    public IAsyncEnumerable<BinlogEvent> ReadEventsAsync(CancellationToken cancellationToken) => client.ReadEventsAsync(cancellationToken);

    public BinlogPosition Position => client.Position;

    public GtidSet? ExecutedGtid => client.ExecutedGtid;
}
