using System.Collections.Concurrent;
using System.Diagnostics;
using Dm.TestKit;
using MySqlConnector;

namespace Dm.Bench.Sync;

/// <summary>
/// Replication lag as seen by a reader: every 100 ms a heartbeat row is inserted on the upstream; each target is
/// polled every 10 ms and a heartbeat's lag is the time from its insert being sent to its first sighting there.
/// One clock (this process) for both ends, so no clock skew; resolution about 10 ms.
/// </summary>
internal sealed class LagProbe(MariaDbServer upstream)
{
    public const string Table = "bench_heartbeat";
    private static readonly TimeSpan WriteInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    private readonly ConcurrentDictionary<long, long> _sentAt = new();
    private long _written;

    public long Written => Interlocked.Read(ref _written);

    public Task CreateTableAsync(CancellationToken cancellationToken) =>
        upstream.ExecuteAsync($"CREATE TABLE sbtest.{Table} (seq BIGINT PRIMARY KEY, sent_at DATETIME(6) NOT NULL)", cancellationToken);

    /// <summary>Inserts heartbeats until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task WriteAsync(CancellationToken cancellationToken)
    {
        await using var connection = await upstream.OpenAsync(cancellationToken: CancellationToken.None);
        await using var command = new MySqlCommand($"INSERT INTO sbtest.{Table} VALUES (@seq, NOW(6))", connection);
        var seq = command.Parameters.Add("@seq", MySqlDbType.Int64);
        using var timer = new PeriodicTimer(WriteInterval);
        try
        {
            do
            {
                var next = Written + 1;
                _sentAt[next] = Stopwatch.GetTimestamp();
                seq.Value = next;
                await command.ExecuteNonQueryAsync(CancellationToken.None);
                Interlocked.Exchange(ref _written, next);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Watches one target until every heartbeat written before <paramref name="stopWriting"/> fired has arrived (or
    /// <paramref name="drainTimeout"/> after it); returns the lags seen, in milliseconds, and how many never arrived.
    /// Rows may arrive out of order, so each sequence number is looked for on its own.
    /// </summary>
    public async Task<(List<double> LagsMs, long Missing)> ObserveAsync(MariaDbServer target, CancellationToken stopWriting, TimeSpan drainTimeout,
        CancellationToken cancellationToken)
    {
        var lags = new List<double>();
        var seen = new HashSet<long>();
        long lowestUnseen = 1;
        await using var connection = await target.OpenAsync(cancellationToken: cancellationToken);
        await using var command = new MySqlCommand($"SELECT seq FROM sbtest.{Table} WHERE seq >= @from", connection);
        var from = command.Parameters.Add("@from", MySqlDbType.Int64);
        long? drainDeadline = null;
        while (true)
        {
            if (stopWriting.IsCancellationRequested)
            {
                drainDeadline ??= Stopwatch.GetTimestamp() + (long)(drainTimeout.TotalSeconds * Stopwatch.Frequency);
                if (lowestUnseen > Written || Stopwatch.GetTimestamp() > drainDeadline) break;
            }
            from.Value = lowestUnseen;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                var now = Stopwatch.GetTimestamp();
                while (await reader.ReadAsync(cancellationToken))
                {
                    var s = reader.GetInt64(0);
                    if (seen.Add(s) && _sentAt.TryGetValue(s, out var sent)) lags.Add((now - sent) * 1000.0 / Stopwatch.Frequency);
                }
            }
            while (seen.Remove(lowestUnseen)) lowestUnseen++;
            await Task.Delay(PollInterval, cancellationToken);
        }
        return (lags, Math.Max(0, Written - (lowestUnseen - 1) - seen.Count));
    }

    /// <summary>Nearest-rank percentile of <paramref name="values"/> (0..100).</summary>
    public static double Percentile(List<double> values, double percent)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
