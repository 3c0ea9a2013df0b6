using MySqlConnector;

namespace Dm.Core.Upstream;

/// <summary>
/// Opens short-lived control-plane connections with MySqlConnector: no pooling (each caller owns and closes its
/// connection, so a changed password or a restarted server is never hidden behind a stale pooled session),
/// a 5 s connect timeout and a 30 s read timeout as DM's checker uses.
/// </summary>
public static class DatabaseConnector
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    // Holds the password: never logged, never handed out.
    private static string ConnectionString(DatabaseEndpoint endpoint, Action<MySqlConnectionStringBuilder>? tune)
    {
        var builder = new MySqlConnectionStringBuilder
        {
        Server = endpoint.Host,
        Port = (uint)endpoint.Port,
        UserID = endpoint.User,
        Password = endpoint.Password,
        Pooling = false,
        ConnectionTimeout = (uint)ConnectTimeout.TotalSeconds,
        DefaultCommandTimeout = (uint)CommandTimeout.TotalSeconds,
        SslMode = endpoint.UsesTls ? MySqlSslMode.Required : MySqlSslMode.None,
        // MySQL 8 caching_sha2_password over plain TCP would need the server's RSA key to send the password: only when asked.
        AllowPublicKeyRetrieval = endpoint.AllowPublicKeyRetrieval,
        CharacterSet = "utf8mb4",
        };
        tune?.Invoke(builder);
        return builder.ConnectionString;
    }

    /// <summary>Opens a connection or throws <see cref="UpstreamException"/> (10001) naming the instance.</summary>
    /// <param name="tune">adjusts the connection settings (timeouts, zero dates, ...) for a particular use.</param>
    /// <param name="applySession">set the endpoint's <see cref="DatabaseEndpoint.SessionVariables"/> once connected; a caller
    /// with session settings of its own passes false and calls <see cref="ApplySessionAsync"/> after them.</param>
    public static async Task<MySqlConnection> OpenAsync(DatabaseEndpoint endpoint, CancellationToken cancellationToken,
        Action<MySqlConnectionStringBuilder>? tune = null, bool applySession = true)
    {
        var connection = new MySqlConnection(ConnectionString(endpoint, tune));
        try
        {
            if (endpoint.UsesTls) ConfigureTls(connection, endpoint);
            await connection.OpenAsync(cancellationToken);
            if (applySession) await ApplySessionAsync(connection, endpoint, cancellationToken);
            return connection;
        }
        catch (UpstreamException)
        {
            await connection.DisposeAsync();
            throw;
        }
        catch (Exception e) when (e is MySqlException or InvalidOperationException or System.Security.Authentication.AuthenticationException
                                      or System.Net.Sockets.SocketException or TimeoutException)
        {
            await connection.DisposeAsync();
            throw new UpstreamException(UpstreamErrorCodes.DatabaseDriverError,
                $"database driver error: cannot connect to {endpoint}: {e.Message}", e)
            {
                ConnectFailed = true,
                PublicMessage = ServerAnswered(e) ? null : $"database driver error: cannot connect to {endpoint}: {Unreachable}",
            };
        }
    }

    /// <summary>
    /// Sets the endpoint's session variables on <paramref name="connection"/>, one <c>SET SESSION `name` = @value</c> each (the
    /// name checked and quoted, the value a parameter), so that the one the server refuses is named. Throws
    /// <see cref="UpstreamException"/> (10001) with the server's error, e.g. an unknown variable or a bad value.
    /// </summary>
    public static async Task ApplySessionAsync(MySqlConnection connection, DatabaseEndpoint endpoint, CancellationToken cancellationToken)
    {
        foreach (var (name, value) in endpoint.SessionVariables)
        {
            if (Config.SessionVariables.Problem(new Dictionary<string, string> { [name] = value }) is { } problem)
                throw new UpstreamException(UpstreamErrorCodes.DatabaseDriverError, $"database driver error: {endpoint}: {problem}");
            await using var command = new MySqlCommand($"SET SESSION {Quote.Identifier(name)} = @value", connection);
            command.Parameters.AddWithValue("@value", Config.SessionVariables.ParameterValue(value));
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (MySqlException e)
            {
                throw new UpstreamException(UpstreamErrorCodes.DatabaseDriverError,
                    $"database driver error: {endpoint} refused session variable {name} = '{value}' (from the config's session): {e.Message}", e);
            }
        }
    }

    /// <summary>What an API client is told of a connection no MySQL server answered (refused, timed out, not MySQL).</summary>
    public const string Unreachable = "no MySQL server answered at this address (check host, port and network)";

    /// <summary>
    /// Whether a MySQL server answered the connection (its error packet carries an SQLSTATE, e.g. access denied, too many
    /// connections), or TLS failed after a MySQL server's greeting; not so for refused, timed-out or non-MySQL peers.
    /// </summary>
    private static bool ServerAnswered(Exception e) =>
        e is System.Security.Authentication.AuthenticationException || e is MySqlException { SqlState.Length: 5 };

    private static void ConfigureTls(MySqlConnection connection, DatabaseEndpoint endpoint)
    {
        if (DatabaseTls.ClientCertificate(endpoint) is { } certificate)
        {
            connection.ProvideClientCertificatesCallback = collection =>
            {
                collection.Add(certificate);
                return ValueTask.CompletedTask;
            };
        }
        connection.RemoteCertificateValidationCallback = DatabaseTls.ServerValidator(endpoint);
    }
}
