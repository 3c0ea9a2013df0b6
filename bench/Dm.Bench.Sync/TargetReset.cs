using Dm.TestKit;
using MySqlConnector;

namespace Dm.Bench.Sync;

/// <summary>
/// Puts a target back where every round starts: the prepared <c>sbtest</c> tables (kept in <c>bench_prepared</c> on the
/// target itself, so no restart and no dump), no marker table, no DM# meta schema. Each round then applies the same
/// backlog from the same position; the peer must have stopped applying first.
/// </summary>
internal static class TargetReset
{
    private const string Keep = "bench_prepared";

    /// <summary>Keeps a copy of the prepared tables on the target (once, before the first round).</summary>
    public static async Task KeepPreparedAsync(MariaDbServer target, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken: cancellationToken);
        await ExecuteAsync(connection, $"CREATE DATABASE {Keep}", cancellationToken);
        foreach (var table in await SchemaTables.ListAsync(connection, "sbtest", cancellationToken))
            await ExecuteAsync(connection, $"CREATE TABLE {Keep}.`{table}` LIKE sbtest.`{table}`; INSERT INTO {Keep}.`{table}` SELECT * FROM sbtest.`{table}`",
                cancellationToken);
    }

    public static async Task RestoreAsync(MariaDbServer target, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken: cancellationToken);
        await ExecuteAsync(connection, "DROP DATABASE IF EXISTS dm_meta", cancellationToken);
        var kept = new HashSet<string>(await SchemaTables.ListAsync(connection, Keep, cancellationToken), StringComparer.Ordinal);
        foreach (var table in await SchemaTables.ListAsync(connection, "sbtest", cancellationToken))
            await ExecuteAsync(connection, kept.Contains(table)
                ? $"TRUNCATE TABLE sbtest.`{table}`; INSERT INTO sbtest.`{table}` SELECT * FROM {Keep}.`{table}`"
                : $"DROP TABLE sbtest.`{table}`", cancellationToken); // a marker table a peer replicated
    }

    /// <summary>Waits until the server's buffer pool holds (almost) no dirty page, so no round pays for earlier writes.</summary>
    public static async Task FlushDirtyPagesAsync(MariaDbServer server, CancellationToken cancellationToken)
    {
        await using var connection = await server.OpenAsync(cancellationToken: cancellationToken);
        // Flushing at the default io_capacity (200 pages/s) took minutes for the restored tables.
        await ExecuteAsync(connection,
            "SET GLOBAL innodb_io_capacity_max = 100000; SET GLOBAL innodb_io_capacity = 50000; SET GLOBAL innodb_max_dirty_pages_pct = 0", cancellationToken);
        try
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            await using var dirty = new MySqlCommand(
                "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'INNODB_BUFFER_POOL_PAGES_DIRTY'", connection);
            while (Convert.ToInt64(await dirty.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 16
                   && DateTime.UtcNow < deadline)
                await Task.Delay(100, cancellationToken);
        }
        finally
        {
            await ExecuteAsync(connection,
                "SET GLOBAL innodb_max_dirty_pages_pct = DEFAULT; SET GLOBAL innodb_io_capacity = DEFAULT; SET GLOBAL innodb_io_capacity_max = DEFAULT",
                cancellationToken);
        }
    }

    private static async Task ExecuteAsync(MySqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
