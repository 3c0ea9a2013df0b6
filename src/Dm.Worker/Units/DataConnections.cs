using Dm.Core.Upstream;
using MySqlConnector;

namespace Dm.Worker.Units;

/// <summary>
/// Connections that move data (dump readers, load writers): unlimited command time (a chunk may be large),
/// UTC session time zone on both ends so TIMESTAMP values copy unchanged, and user variables allowed so data
/// text is never mistaken for parameters. Connections that write rows run strict (<see cref="StrictSqlMode"/>). The config's
/// <c>session</c> variables are set after these, so a <c>sql_mode</c> the user gives replaces DM#'s.
/// </summary>
internal static class DataConnections
{
    /// <summary>
    /// The session sql_mode of every connection but row writers: no strictness, and dates with days the month lacks accepted
    /// (ALLOW_INVALID_DATES, as DM sets it downstream) so that such values an upstream holds are not zeroed.
    /// </summary>
    public const string SqlMode = "ALLOW_INVALID_DATES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION";

    /// <summary>
    /// The session sql_mode of connections that write rows (Sync's writers, Load's chunks): a value the target would narrow
    /// (too long, out of range, not of the column's type) is an error instead of a warning nobody reads. Zero dates, zero
    /// parts in dates and unchecked days stay allowed (no NO_ZERO_DATE / NO_ZERO_IN_DATE, ALLOW_INVALID_DATES), as DM keeps them
    /// for the downstream: the upstream may hold such values under its own sql_mode, and they replicate as they are.
    /// </summary>
    public const string StrictSqlMode = "STRICT_ALL_TABLES," + SqlMode;

    /// <summary>The user variable holding the sql_mode a connection was opened with (DM#'s, or the config's session one).</summary>
    public const string WriterModeVariable = "@dm_writer_sql_mode";

    /// <summary>The user variable holding <see cref="WriterModeVariable"/>'s mode without STRICT_ALL_TABLES / STRICT_TRANS_TABLES.</summary>
    public const string LenientModeVariable = "@dm_lenient_sql_mode";

    /// <param name="allowLocalInfile">Only for target connections that load CSV files with LOAD DATA LOCAL INFILE
    /// (never for the source: a server could otherwise ask for any local file).</param>
    /// <param name="sessionStatements">Further session settings, run after DM#'s own; a connection whose settings fail is closed.</param>
    /// <param name="strict">A connection that writes rows: <see cref="StrictSqlMode"/>.</param>
    public static async Task<MySqlConnection> OpenAsync(DatabaseEndpoint endpoint, CancellationToken cancellationToken, bool allowLocalInfile = false,
        IReadOnlyList<string>? sessionStatements = null, bool strict = false)
    {
        var connection = await DatabaseConnector.OpenAsync(endpoint, cancellationToken, builder =>
        {
            builder.AllowLoadLocalInfile = allowLocalInfile;
            builder.DefaultCommandTimeout = 0;
            builder.AllowUserVariables = true;
            builder.AllowZeroDateTime = true;
            builder.ConvertZeroDateTime = false;
            builder.UseAffectedRows = false;
        }, applySession: false);
        try
        {
            await ExecuteAsync(connection, $"SET SESSION time_zone = '+00:00', SESSION sql_mode = '{(strict ? StrictSqlMode : SqlMode)}'", cancellationToken);
            // The config's session variables (DbConfig.Session) come after DM#'s own, so that what the user wrote wins.
            await DatabaseConnector.ApplySessionAsync(connection, endpoint, cancellationToken);
            // The session's sql_mode, and that mode without strictness: what a writer returns to after, and relaxes to for, a
            // lenient batch (Sync.Applying.LenientMode), so that a sql_mode from the config survives both. Only strict
            // connections write rows (Sync's writers); the others never read these variables.
            if (strict)
                await ExecuteAsync(connection, $"SET {WriterModeVariable} = @@SESSION.sql_mode, {LenientModeVariable} = TRIM(BOTH ',' FROM " +
                    "REPLACE(REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',STRICT_ALL_TABLES,', ','), ',STRICT_TRANS_TABLES,', ','))", cancellationToken);
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
