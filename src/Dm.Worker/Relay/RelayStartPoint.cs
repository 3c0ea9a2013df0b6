using Dm.Binlog.Events;
using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;
using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Core.Upstream;

namespace Dm.Worker.Relay;

/// <summary>
/// Where a relay log with nothing pulled yet starts, as DM decides it: at the start of the file holding the earliest
/// checkpoint of the source's tasks (so every task can read the relay), else by the source's start point: the file holding
/// the first transaction after its <c>relay-binlog-gtid</c> when the source has <c>enable-gtid</c> (DM's relay then starts
/// by GTID) or no <c>relay-binlog-name</c>, else that name; else the upstream's current file. A relay always starts at the
/// beginning of a file (offset 4), so its files are whole copies of the upstream's.
/// </summary>
internal static class RelayStartPoint
{
    public static async Task<(BinlogPosition Start, string Why)> ResolveAsync(SourceConfig source, RelayTaskCheckpoints tasks,
        BinlogClientOptions client, MasterStatus master, GtidFlavor flavor, CancellationToken cancellationToken)
    {
        if (await tasks.EarliestAsync(cancellationToken) is { } earliest)
            return (new BinlogPosition(earliest.FileName, 4), $"the earliest checkpoint of the source's tasks ({earliest})");
        if (RelayStartGtid.IsUsed(source.RelayBinlogGtid, source.EnableGtid, source.RelayBinlogName))
        {
            var gtid = GtidSet.Parse(flavor, source.RelayBinlogGtid);
            var file = await FileAfterAsync(client, gtid, cancellationToken);
            return (new BinlogPosition(file, 4), $"relay-binlog-gtid {gtid} (in {file})");
        }
        if (source.RelayBinlogName.Length > 0)
        {
            if (BinlogFileName.Parse(source.RelayBinlogName).Sequence < 0) throw DmErrors.ErrRelayBinlogNameNotValid.New(source.RelayBinlogName);
            return (new BinlogPosition(source.RelayBinlogName, 4), $"relay-binlog-name {source.RelayBinlogName}");
        }
        return (new BinlogPosition(master.Location.FileName, 4), $"the upstream's current binlog {master.Location.FileName}");
    }

    /// <summary>
    /// The upstream file holding the first transaction after <paramref name="executed"/>: the file a GTID dump starts in
    /// (its first event is a ROTATE naming it). DM's 30014 when the upstream cannot start there.
    /// </summary>
    public static async Task<string> FileAfterAsync(BinlogClientOptions client, GtidSet executed, CancellationToken cancellationToken)
    {
        var reader = new BinlogClient(client with { StartPosition = null, StartGtid = executed, StopAtEnd = true });
        try
        {
            await foreach (var ev in reader.ReadRawEventsAsync(cancellationToken))
                if (ev.Decoded is RotateEvent rotate) return rotate.NextFileName;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw DmErrors.ErrRelayTCPReaderStartSyncGTID.Wrap(e, executed.ToString());
        }
        throw DmErrors.ErrRelayTCPReaderStartSyncGTID.New(executed.ToString());
    }
}
