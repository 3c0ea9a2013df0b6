using System.Diagnostics;
using Dm.TestKit;
using MySqlConnector;

namespace Dm.Bench.Sync;

/// <summary>
/// Marks "everything up to here": a CREATE TABLE on the upstream after the workload. Both MariaDB's parallel
/// applier and DM's syncer run a DDL only after every earlier transaction is applied, so the table showing up
/// on a target means the whole backlog before it is there: the same finish line for both peers.
/// </summary>
internal sealed class CatchUpMarker(MariaDbServer upstream)
{
    private int _count;

    /// <summary>Creates the next marker table; returns its name and the upstream position just after it.</summary>
    public async Task<(string Table, BinlogCoordinates End)> PlaceAsync(CancellationToken cancellationToken)
    {
        var table = $"bench_mark_{Interlocked.Increment(ref _count)}";
        await upstream.ExecuteAsync($"CREATE TABLE sbtest.`{table}` (id INT PRIMARY KEY)", cancellationToken);
        return (table, await BinlogCoordinates.ReadMasterStatusAsync(upstream, cancellationToken));
    }

    /// <summary>Polls the peer's target every 10 ms until the marker exists; checks the peer for errors about once a second.</summary>
    public static async Task<TimeSpan> WaitAsync(IReplicationPeer peer, string table, Stopwatch clock, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var connection = await peer.Target.OpenAsync(cancellationToken: cancellationToken);
        await using var command = new MySqlCommand(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'sbtest' AND TABLE_NAME = @table", connection);
        command.Parameters.AddWithValue("@table", table);
        var lastCheck = clock.Elapsed;
        while (clock.Elapsed < timeout)
        {
            if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken)) > 0) return clock.Elapsed;
            if (clock.Elapsed - lastCheck > TimeSpan.FromSeconds(1))
            {
                await peer.ThrowIfFailedAsync(cancellationToken);
                lastCheck = clock.Elapsed;
            }
            await Task.Delay(10, cancellationToken);
        }
        await peer.ThrowIfFailedAsync(cancellationToken);
        throw new TimeoutException($"{peer.Name}: marker {table} did not reach the target within {timeout.TotalSeconds:F0} s");
    }

    /// <summary>Waits until the peer's own status reports <paramref name="end"/> applied; null if it does not within <paramref name="timeout"/>.</summary>
    public static async Task<TimeSpan?> WaitForReportedPositionAsync(IReplicationPeer peer, BinlogCoordinates end, Stopwatch clock, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var deadline = clock.Elapsed + timeout;
        while (clock.Elapsed < deadline)
        {
            var applied = await peer.AppliedPositionAsync(cancellationToken);
            if (applied != null && applied.CompareTo(end) >= 0) return clock.Elapsed;
            await Task.Delay(20, cancellationToken);
        }
        return null;
    }
}
