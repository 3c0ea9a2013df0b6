using Dm.Core.Upstream;
using MySqlConnector;

namespace Dm.Master.Precheck;

/// <summary>Runs one parameterised query and maps its rows; driver errors become DM's 10001.</summary>
internal static class SqlRows
{
    public static async Task<List<T>> ReadAsync<T>(MySqlConnection connection, string sql, Func<MySqlDataReader, T> map,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        try
        {
            await using var command = new MySqlCommand(sql, connection);
            foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken)) rows.Add(map(reader));
            return rows;
        }
        catch (MySqlException e)
        {
            throw new UpstreamException(UpstreamErrorCodes.DatabaseDriverError,
                $"database driver error: {sql} on {connection.DataSource}: {e.Message}", e);
        }
    }

    public static string? NullableString(this MySqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToString(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);
}
