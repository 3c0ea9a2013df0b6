using Dm.Binlog.Replication;
using Dm.Core.Errors;
using MySqlConnector;

namespace Dm.Worker.Sync.Reading;

/// <summary>
/// Where a subtask without a sync checkpoint starts: its start_time (the transaction boundary the upstream logged at that
/// time), else its meta (file and position and/or GTID set, a missing set read from the binlog), else nowhere — in mode
/// all the full copy records the start, so its absence is an error, as is an incremental task with neither.
/// </summary>
internal static class StartPoint
{
    public static async Task<BinlogLocation> ResolveAsync(SyncSettings settings, Func<CancellationToken, Task<MySqlConnection>> upstream, ILogger logger,
        CancellationToken cancellationToken)
    {
        BinlogLocation start;
        if (!string.IsNullOrEmpty(settings.StartTime))
        {
            var connection = await upstream(cancellationToken);
            var time = await StartTimeUtcAsync(connection, settings.StartTime, cancellationToken);
            var position = await BinlogTimeLocator.FindAsync(connection, settings.ClientOptions(null), time, cancellationToken);
            start = await BinlogGtidLocator.LocateAsync(settings.ClientOptions(null), position, cancellationToken);
            logger.LogInformation("sync of {Task}: start_time {Time} is at {Position}", settings.Config.Name, settings.StartTime, start);
        }
        else if (settings.Config.Meta is { } meta && (meta.BinlogName.Length > 0 || meta.BinlogGtid.Length > 0))
        {
            start = meta.ToLocation(settings.GtidFlavor);
            // A position without its GTID set: the set is read from the binlog, so that checkpoints carry complete sets.
            if (start.HasPosition && start.GtidSet is null)
                start = await BinlogGtidLocator.LocateAsync(settings.ClientOptions(null), start.Position, cancellationToken);
        }
        else if (settings.Config.Mode == Dm.Core.Config.TaskModes.All)
        {
            throw DmErrors.ErrSyncerEvent.WithMessage(
                $"subtask {settings.Config.Name} has no sync checkpoint in `{settings.Config.MetaSchema}`: the full copy did not record where to start; restart the task with remove_meta");
        }
        else
        {
            throw DmErrors.ErrConfigMetaInvalid.WithMessage(
                $"mysql-instance({settings.Config.SourceId}) must set meta (binlog_name/binlog_pos or binlog_gtid) or start_time for task-mode incremental");
        }
        return start;
    }

    /// <summary>DM's start_time: with an offset it is absolute; without, it is the upstream's local time (the upstream converts it).</summary>
    public static async Task<DateTime> StartTimeUtcAsync(MySqlConnection upstream, string text, CancellationToken cancellationToken)
    {
        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var absolute) &&
            (text.Contains('+') || text.EndsWith('Z') || text.LastIndexOf('-') > 10))
            return absolute.UtcDateTime;
        await using var command = new MySqlCommand("SELECT UNIX_TIMESTAMP(@t)", upstream);
        command.Parameters.AddWithValue("@t", text.Replace('T', ' '));
        var seconds = await command.ExecuteScalarAsync(cancellationToken);
        if (seconds is null or DBNull)
            throw DmErrors.ErrConfigMetaInvalid.WithMessage($"start_time `{text}` is not a time the upstream understands");
        return DateTime.UnixEpoch.AddSeconds((double)Convert.ToDecimal(seconds));
    }
}
