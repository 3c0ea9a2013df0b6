using System.Diagnostics;
using Dm.TestKit;
using MySqlConnector;

namespace Dm.Bench.Sync;

/// <summary>
/// When a target first counts a changed row of <c>sbtest</c> after a peer starts: separates the peer's start-up (connecting,
/// task scheduling, schema loading) from its applying, the same way for both peers. Turns on the target's
/// <c>userstat</c> (a small per-statement cost, paid by both peers' targets alike).
/// </summary>
internal sealed class FirstWriteWatcher
{
    // Per-table statistics (userstat), so DM#'s own checkpoint writes in its meta schema do not count.
    private const string Sql = "SELECT IFNULL(SUM(ROWS_CHANGED), 0) FROM information_schema.TABLE_STATISTICS WHERE TABLE_SCHEMA = 'sbtest'";

    private readonly MySqlConnection _connection;
    private readonly decimal _baseline;

    private FirstWriteWatcher(MySqlConnection connection, decimal baseline) => (_connection, _baseline) = (connection, baseline);

    /// <summary>Reads the baseline; call before the peer starts.</summary>
    public static async Task<FirstWriteWatcher> StartAsync(MariaDbServer target, CancellationToken cancellationToken)
    {
        var connection = await target.OpenAsync(cancellationToken: cancellationToken);
        await using (var enable = new MySqlCommand("SET GLOBAL userstat = 1", connection)) await enable.ExecuteNonQueryAsync(cancellationToken);
        return new FirstWriteWatcher(connection, await ReadAsync(connection, cancellationToken));
    }

    /// <summary>Polls every 10 ms until the counters move; returns the clock's time then.</summary>
    public async Task<TimeSpan> WaitAsync(Stopwatch clock, CancellationToken cancellationToken)
    {
        await using (_connection)
        {
            while (await ReadAsync(_connection, cancellationToken) == _baseline) await Task.Delay(10, cancellationToken);
            return clock.Elapsed;
        }
    }

    private static async Task<decimal> ReadAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(Sql, connection);
        return Convert.ToDecimal(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
