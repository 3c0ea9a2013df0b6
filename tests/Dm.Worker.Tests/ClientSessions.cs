using Dm.TestKit;
using MySqlConnector;

namespace Dm.Worker.Tests;

internal static class ClientSessions
{
    /// <summary>What the servers see when a worker process dies: every client connection drops mid-statement.</summary>
    public static async Task KillAllAsync(params MariaDbServer[] servers)
    {
        foreach (var server in servers)
        {
            await using var connection = await server.OpenAsync();
            var ids = new List<long>();
            await using (var command = new MySqlCommand("SELECT ID FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND COMMAND <> 'Daemon' AND USER <> 'system user'", connection))
            await using (var reader = await command.ExecuteReaderAsync())
                while (await reader.ReadAsync()) ids.Add(Convert.ToInt64(reader.GetValue(0)));
            foreach (var id in ids)
            {
                await using var kill = new MySqlCommand($"KILL CONNECTION {id}", connection);
                try { await kill.ExecuteNonQueryAsync(); } catch (MySqlException) { /* already gone */ }
            }
            // KILL only flags the victim; wait until the server has really ended them, so nothing of the
            // crashed run is still half-alive when the fresh units connect.
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (ids.Count > 0 && DateTime.UtcNow < deadline)
            {
                await using var check = new MySqlCommand(
                    $"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID IN ({string.Join(',', ids)})", connection);
                if (Convert.ToInt64(await check.ExecuteScalarAsync()) == 0) break;
                await Task.Delay(50);
            }
        }
        MySqlConnection.ClearAllPools();
    }
}
