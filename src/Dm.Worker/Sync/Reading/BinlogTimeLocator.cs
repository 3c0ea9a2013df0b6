using Dm.Binlog.Events;
using Dm.Binlog.Replication;
using Dm.Core.Errors;
using MySqlConnector;

namespace Dm.Worker.Sync.Reading;

/// <summary>
/// Finds where to start for a task's <c>start_time</c>: the transaction boundary before the first
/// transaction the upstream logged at or after that time (event timestamps are the upstream's clock).
/// </summary>
internal static class BinlogTimeLocator
{
    public static async Task<BinlogPosition> FindAsync(MySqlConnection upstream, BinlogClientOptions options, DateTime startUtc, CancellationToken cancellationToken)
    {
        var files = new List<string>();
        await using (var command = new MySqlCommand("SHOW BINARY LOGS", upstream))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken)) files.Add(reader.GetString(0));
        if (files.Count == 0) throw DmErrors.ErrBinlogFilesNotFound.WithMessage("the upstream has no binary logs");
        var target = (uint)Math.Max(0, new DateTimeOffset(startUtc, TimeSpan.Zero).ToUnixTimeSeconds());
        // The last file that began at or before the time holds the first transaction after it (or the next file does).
        var first = 0;
        for (var i = files.Count - 1; i >= 0; i--)
        {
            if (await FirstTimestampAsync(options, files[i], cancellationToken) <= target) { first = i; break; }
        }
        var client = new BinlogClient(options with { StartPosition = new BinlogPosition(files[first], 4), StopAtEnd = true });
        var boundary = new BinlogPosition(files[first], 4);
        var inGroup = false;
        await foreach (var ev in client.ReadEventsAsync(cancellationToken))
        {
            var startsGroup = ev is MariaDbGtidEvent or MySqlGtidEvent || (ev is QueryEvent q && !inGroup);
            if (startsGroup && !ev.Header.IsArtificial && ev.Header.Timestamp >= target) return boundary;
            if (ev is MariaDbGtidEvent or MySqlGtidEvent) inGroup = true;
            if (!client.InTransaction && ev is XidEvent or QueryEvent)
            {
                inGroup = false;
                boundary = ev.ResumePosition;
            }
            else if (ev is RotateEvent && !client.InTransaction)
            {
                boundary = ev.ResumePosition;
            }
        }
        return boundary;
    }

    private static async Task<uint> FirstTimestampAsync(BinlogClientOptions options, string file, CancellationToken cancellationToken)
    {
        var client = new BinlogClient(options with { StartPosition = new BinlogPosition(file, 4), StopAtEnd = true });
        await foreach (var ev in client.ReadEventsAsync(cancellationToken))
            if (ev.Header.Timestamp != 0 && ev is FormatDescriptionEvent) return ev.Header.Timestamp;
        return 0;
    }
}
