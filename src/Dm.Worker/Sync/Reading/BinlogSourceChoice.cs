using Dm.Binlog.Replication;
using Dm.Worker.Relay;
using Dm.Worker.Sync.Checkpointing;

namespace Dm.Worker.Sync.Reading;

/// <summary>
/// Where a run reads the binlog: the worker's relay log of the source when this worker pulls it (DM's binlog type
/// <c>local</c>: a <see cref="RelayEventSource"/>, positions in DM's relay form <c>mysql-bin|000001.000003</c>), else the
/// upstream through the replication client (<c>remote</c>, the upstream's own file names). A task may switch between the
/// two from one run to the next (relay turned on or off), so the positions a run reads back from the target (the
/// checkpoint, the applied rows) are first put in the form of the source chosen (<see cref="InSourceForm"/>). Dispose it
/// when the run ends.
/// </summary>
internal sealed class BinlogSourceChoice : IDisposable
{
    private BinlogSourceChoice(IBinlogEventSource source, Func<BinlogPosition, BinlogPosition> form)
    {
        Source = source;
        InSourceForm = form;
    }

    public IBinlogEventSource Source { get; }

    /// <summary>A position (from the target) as the chosen source names it.</summary>
    public Func<BinlogPosition, BinlogPosition> InSourceForm { get; }

    /// <summary>
    /// The source for a run starting at <paramref name="start"/> (in the source's form already). With a relay log it waits
    /// until the relay has recovered its files; DM's 11036 when the relay does not hold the start.
    /// </summary>
    public static async Task<BinlogSourceChoice> ChooseAsync(SyncSettings settings, SyncCheckpoint start, ILogger logger, CancellationToken cancellationToken)
    {
        var task = settings.Config.Name;
        if (settings.Relay is { } relay)
        {
            await relay.WaitReadyAsync(cancellationToken);
            var position = start.Position.HasPosition ? relay.ToRelayForm(start.Position.Position) : (BinlogPosition?)null;
            logger.LogInformation("sync of {Task} reads the relay log in {Directory} {How}", task, relay.Directory.BasePath,
                position is { } p ? $"from {p} (GTIDs executed so far: {start.Position.GtidText})" : $"after the GTID set {start.Position.GtidText}");
            return new BinlogSourceChoice(new RelayEventSource(relay, position, start.Position.GtidSet, $"sync of task {task}"), relay.ToRelayForm);
        }
        var options = settings.ClientOptions(new BinlogLocation(UpstreamForm(start.Position.Position), start.Position.GtidSet));
        logger.LogInformation("sync of {Task} reads the binlog {How}", task,
            options.StartPosition is { } q ? $"from {q} (GTIDs executed so far: {start.Position.GtidText})" : $"after the GTID set {start.Position.GtidText}");
        return new BinlogSourceChoice(new BinlogClientSource(new BinlogClient(options)), UpstreamForm);
    }

    /// <summary>Ends the source (a relay reader no longer holds its files from purge).</summary>
    public void Dispose() => (Source as IDisposable)?.Dispose();

    /// <summary>A position with the upstream's own file name (DM's relay suffix taken out).</summary>
    public static BinlogPosition UpstreamForm(BinlogPosition position) =>
        BinlogFileName.Parse(position.FileName ?? "") is { RelaySuffix: not null } name ? position with { FileName = name.UpstreamName } : position;

    /// <summary>A checkpoint with its positions in the source's form.</summary>
    public SyncCheckpoint InForm(SyncCheckpoint checkpoint) => new(InForm(checkpoint.Position), checkpoint.SafeModeExit is { } exit ? InForm(exit) : null);

    private BinlogLocation InForm(BinlogLocation location) =>
        location.HasPosition ? new BinlogLocation(InSourceForm(location.Position), location.GtidSet) : location;
}
