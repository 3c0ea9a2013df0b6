using System.Globalization;
using Dm.TestKit;
using MySqlConnector;

namespace Dm.Bench.Sync;

/// <summary>MariaDB's own replication: the target server as a replica with parallel applier threads.</summary>
internal sealed class ReplicaPeer(MariaDbServer upstream, MariaDbServer replica, BenchOptions options) : IReplicationPeer
{
    public string Name => "MariaDB replica";

    public MariaDbServer Target => replica;

    public IReadOnlyList<(string Label, string CommandLineFragment)> Processes => [("replica mariadbd", $"--port={replica.Port}")];

    public async Task<string> DescribeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await replica.OpenAsync(cancellationToken: cancellationToken);
        await using var command = new MySqlCommand(
            "SELECT @@slave_parallel_threads, @@slave_parallel_mode, @@slave_parallel_max_queued, @@innodb_flush_log_at_trx_commit, @@log_bin", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return string.Create(CultureInfo.InvariantCulture,
            $"slave_parallel_threads={reader.GetValue(0)}, slave_parallel_mode={reader.GetValue(1)}, slave_parallel_max_queued={reader.GetValue(2)}, "
            + $"innodb_flush_log_at_trx_commit={reader.GetValue(3)}, log_bin={reader.GetValue(4)}");
    }

    /// <summary>Sets the applier threads and mode (only allowed while the replica is stopped), then CHANGE MASTER and START SLAVE.</summary>
    public async Task ConfigureAsync(CancellationToken cancellationToken)
    {
        await using var connection = await replica.OpenAsync(cancellationToken: cancellationToken);
        await using var command = new MySqlCommand(
            $"SET GLOBAL slave_parallel_threads = {options.Threads}; SET GLOBAL slave_parallel_mode = @mode", connection);
        command.Parameters.AddWithValue("@mode", options.ParallelMode);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task StartAsync(BinlogCoordinates from, CancellationToken cancellationToken)
    {
        await using var connection = await replica.OpenAsync(cancellationToken: cancellationToken);
        // MySqlConnector substitutes the parameters as literals, which CHANGE MASTER needs.
        await using var command = new MySqlCommand("""
            CHANGE MASTER TO MASTER_HOST = @host, MASTER_PORT = @port, MASTER_USER = @user, MASTER_PASSWORD = @password,
              MASTER_LOG_FILE = @file, MASTER_LOG_POS = @position, MASTER_USE_GTID = no;
            START SLAVE;
            """, connection);
        command.Parameters.AddWithValue("@host", upstream.Host);
        command.Parameters.AddWithValue("@port", upstream.Port);
        command.Parameters.AddWithValue("@user", upstream.User);
        command.Parameters.AddWithValue("@password", upstream.Password);
        command.Parameters.AddWithValue("@file", from.File);
        command.Parameters.AddWithValue("@position", from.Position);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await using var connection = await replica.OpenAsync(cancellationToken: cancellationToken);
        await using var command = new MySqlCommand("STOP SLAVE; RESET SLAVE ALL", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ThrowIfFailedAsync(CancellationToken cancellationToken)
    {
        var status = await SlaveStatusAsync(cancellationToken);
        foreach (var (number, message) in new[] { ("Last_IO_Errno", "Last_IO_Error"), ("Last_SQL_Errno", "Last_SQL_Error") })
        {
            if (Convert.ToInt64(status[number], CultureInfo.InvariantCulture) != 0)
                throw new InvalidOperationException($"{Name}: {number} {status[number]}: {status[message]}");
        }
    }

    public async Task<BinlogCoordinates?> AppliedPositionAsync(CancellationToken cancellationToken)
    {
        var status = await SlaveStatusAsync(cancellationToken);
        return new BinlogCoordinates(Convert.ToString(status["Relay_Master_Log_File"], CultureInfo.InvariantCulture) ?? "",
            Convert.ToInt64(status["Exec_Master_Log_Pos"], CultureInfo.InvariantCulture));
    }

    private async Task<Dictionary<string, object?>> SlaveStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await replica.OpenAsync(cancellationToken: cancellationToken);
        await using var command = new MySqlCommand("SHOW SLAVE STATUS", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) throw new InvalidOperationException($"{Name}: SHOW SLAVE STATUS is empty (not configured)");
        var row = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        return row;
    }
}
