using Dm.Binlog.Replication;
using Dm.Core.Config;
using Dm.Worker.Errors;
using Dm.Worker.Sync.Checkpointing;
using Dm.Worker.Units;

namespace Dm.Worker.Relay;

/// <summary>
/// Where the tasks of the relayed source stand: each subtask's global Sync checkpoint, read from its target (DM reads them
/// the same way to start a relay at the earliest one). A task with no checkpoint yet (never synced) has none; a target
/// that cannot be read is an error, which makes a purge refuse rather than guess.
/// </summary>
internal sealed class RelayTaskCheckpoints(Func<IReadOnlyList<SubTaskConfig>> tasks)
{
    public async Task<IReadOnlyList<(string Task, BinlogLocation Location)>> ReadAsync(CancellationToken cancellationToken)
    {
        var found = new List<(string, BinlogLocation)>();
        foreach (var task in tasks())
        {
            if (!TaskConfig.HasSync(task.Mode)) continue;
            var table = new SyncCheckpointTable(task.MetaSchema, task.Name, task.SourceId);
            try
            {
                await using var target = await DataConnections.OpenAsync(DbConfigEndpoint.From(task.To), cancellationToken);
                if (await table.ReadGlobalAsync(target, cancellationToken) is { } checkpoint) found.Add((task.Name, checkpoint.Position));
            }
            catch (Exception e) when (DatabaseErrorPolicy.IsUnknownTable(e))
            {
                // No checkpoint table yet: the task has not reached Sync.
            }
        }
        return found;
    }

    /// <summary>The earliest checkpoint that has a position (the upstream's file names), or null.</summary>
    public async Task<BinlogLocation?> EarliestAsync(CancellationToken cancellationToken)
    {
        var all = await ReadAsync(cancellationToken);
        return all.Where(c => c.Location.HasPosition)
            .Select(c => new BinlogLocation(new BinlogPosition(BinlogFileName.Parse(c.Location.FileName).UpstreamName, c.Location.Offset), c.Location.GtidSet))
            .MinBy(l => l.Position);
    }
}
