using Dm.Core.Upstream;
using MySqlConnector;

namespace Dm.Worker.Units;

/// <summary>
/// Connections that move data (dump readers, load writers): unlimited command time (a chunk may be large),
/// UTC session time zone on both ends so TIMESTAMP values copy unchanged, and user variables allowed so data
/// text is never mistaken for parameters.
/// </summary>
internal static class DataConnections
{
    /// <param name="allowLocalInfile">Only for target connections that load CSV files with LOAD DATA LOCAL INFILE
    /// (never for the source: a server could otherwise ask for any local file).</param>
    /// <param name="sessionStatements">Further session settings, run after DM#'s own; a connection whose settings fail is closed.</param>
    public static async Task<MySqlConnection> OpenAsync(DatabaseEndpoint endpoint, CancellationToken cancellationToken, bool allowLocalInfile = false,
        IReadOnlyList<string>? sessionStatements = null)
    {
        var connection = await DatabaseConnector.OpenAsync(endpoint, cancellationToken, builder =>
        {
            builder.AllowLoadLocalInfile = allowLocalInfile;
            builder.DefaultCommandTimeout = 0;
            builder.AllowUserVariables = true;
            builder.AllowZeroDateTime = true;
            builder.ConvertZeroDateTime = false;
            builder.UseAffectedRows = false;
        });
        try
        {
            await ExecuteAsync(connection, "SET SESSION time_zone = '+00:00', SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION'", cancellationToken);
            foreach (var sql in sessionStatements ?? []) await ExecuteAsync(connection, sql, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public static async Task<int> ExecuteAsync(MySqlConnection connection, string sql, CancellationToken cancellationToken, MySqlTransaction? transaction = null)
    {
        await using var command = new MySqlCommand(sql, connection, transaction);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (MySqlException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DataStatementException(sql, e);
        }
    }
}
