using MySqlConnector;

namespace Dm.TestKit.Workloads;

/// <summary>What a server's sessions are doing (process list and open InnoDB transactions), for a stuck replicator's post-mortem.</summary>
public static class ServerActivity
{
    public static async Task<string> DescribeAsync(MariaDbServer server, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await server.OpenAsync(cancellationToken: cancellationToken);
            var lines = new List<string> { "target sessions:" };
            await AddRowsAsync(connection, lines,
                "SELECT ID, COMMAND, TIME, STATE, LEFT(INFO, 200) FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND COMMAND <> 'Daemon'", cancellationToken);
            lines.Add("target open transactions:");
            await AddRowsAsync(connection, lines,
                "SELECT trx_mysql_thread_id, trx_state, trx_started, trx_rows_locked, trx_lock_structs, LEFT(trx_query, 200) FROM information_schema.INNODB_TRX", cancellationToken);
            return string.Join("\n", lines);
        }
        catch (MySqlException e)
        {
            return "target sessions unavailable: " + e.Message;
        }
    }

    /// <summary>Whether another session is running a statement on the server right now.</summary>
    public static async Task<bool> IsBusyAsync(MariaDbServer server, CancellationToken cancellationToken = default)
    {
        await using var connection = await server.OpenAsync(cancellationToken: cancellationToken);
        await using var command = new MySqlCommand(
            "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND COMMAND = 'Query'", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken)) > 0;
    }

    private static async Task AddRowsAsync(MySqlConnection connection, List<string> lines, string sql, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            lines.Add("  " + string.Join(" | ", values.Select(v => v is DBNull ? "NULL" : v.ToString())));
        }
    }
}
