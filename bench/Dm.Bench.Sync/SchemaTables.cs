using MySqlConnector;

namespace Dm.Bench.Sync;

/// <summary>The tables of one schema on a server, by name.</summary>
internal static class SchemaTables
{
    public static async Task<List<string>> ListAsync(MySqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        var tables = new List<string>();
        await using var command = new MySqlCommand("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = @schema ORDER BY TABLE_NAME", connection);
        command.Parameters.AddWithValue("@schema", schema);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) tables.Add(reader.GetString(0));
        return tables;
    }
}
