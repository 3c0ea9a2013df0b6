using System.Globalization;
using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;
using MySqlConnector;

namespace Dm.Core.Upstream;

/// <summary>
/// Reads what the master needs from an upstream server over one connection: version and flavor, binlog and GTID
/// settings, case sensitivity, the current binlog position, schema and table names, and replica server-ids.
/// Every failure surfaces as <see cref="UpstreamException"/> with DM's code.
/// </summary>
public sealed class UpstreamInspector : IAsyncDisposable
{
    private readonly MySqlConnection _connection;
    private readonly bool _ownsConnection;

    public DatabaseEndpoint Endpoint { get; }

    private UpstreamInspector(DatabaseEndpoint endpoint, MySqlConnection connection, bool ownsConnection)
    {
        Endpoint = endpoint;
        _connection = connection;
        _ownsConnection = ownsConnection;
    }

    /// <summary>Opens its own connection (closed on dispose); 10001 when the server cannot be reached.</summary>
    public static async Task<UpstreamInspector> ConnectAsync(DatabaseEndpoint endpoint, CancellationToken cancellationToken)
        => new(endpoint, await DatabaseConnector.OpenAsync(endpoint, cancellationToken), ownsConnection: true);

    /// <summary>Works over a connection the caller owns and closes.</summary>
    public static UpstreamInspector Over(DatabaseEndpoint endpoint, MySqlConnection connection)
        => new(endpoint, connection, ownsConnection: false);

    /// <summary>Version, flavor, server_id, binlog settings, GTID state and lower_case_table_names.</summary>
    public async Task<ServerInfo> ReadServerInfoAsync(CancellationToken cancellationToken)
    {
        var vars = await ReadGlobalVariablesAsync(cancellationToken,
            "version", "version_comment", "server_id", "log_bin", "binlog_format", "binlog_row_image",
            "gtid_mode", "gtid_domain_id", "gtid_current_pos", "lower_case_table_names", "max_connections");
        var version = vars.GetValueOrDefault("version", "");
        var comment = vars.GetValueOrDefault("version_comment", "");
        var flavor = ServerFlavor.Detect(version, comment);
        var mariaDb = flavor == ServerFlavor.MariaDb;
        return new ServerInfo
        {
            Version = version,
            VersionComment = comment,
            Flavor = flavor,
            ServerId = ParseUInt(vars.GetValueOrDefault("server_id")) ?? 0,
            LogBin = IsOn(vars.GetValueOrDefault("log_bin")),
            BinlogFormat = vars.GetValueOrDefault("binlog_format", "").ToUpperInvariant(),
            BinlogRowImage = vars.GetValueOrDefault("binlog_row_image", "").ToUpperInvariant(),
            GtidMode = mariaDb ? null : vars.GetValueOrDefault("gtid_mode", "OFF").ToUpperInvariant(),
            GtidDomainId = mariaDb ? ParseUInt(vars.GetValueOrDefault("gtid_domain_id")) : null,
            GtidCurrentPos = mariaDb ? vars.GetValueOrDefault("gtid_current_pos", "") : null,
            LowerCaseTableNames = (int)(ParseUInt(vars.GetValueOrDefault("lower_case_table_names")) ?? 0),
            MaxConnections = (int)(ParseUInt(vars.GetValueOrDefault("max_connections")) ?? 0),
        };
    }

    /// <summary>
    /// For <c>enable-gtid: true</c>: MySQL must run with gtid_mode=ON (else DM's 26007); MariaDB always has GTIDs.
    /// </summary>
    public static void EnsureGtidUsable(ServerInfo info, DatabaseEndpoint endpoint)
    {
        if (info.GtidAvailable) return;
        throw new UpstreamException(UpstreamErrorCodes.SourceCheckGtid,
            $"{endpoint.Address} has GTID_MODE = {info.GtidMode} instead of ON, " +
            "Workaround: Please check the `enable-gtid` config in source configuration file.");
    }

    /// <summary>
    /// The binlog end now: SHOW BINARY LOG STATUS on MySQL ≥ 8.2 (where SHOW MASTER STATUS is gone in 8.4),
    /// SHOW MASTER STATUS elsewhere. The GTID set is MySQL's Executed_Gtid_Set or MariaDB's gtid_binlog_pos.
    /// </summary>
    public async Task<MasterStatus> ReadMasterStatusAsync(ServerInfo info, CancellationToken cancellationToken)
    {
        var useNewSyntax = !info.IsMariaDb && info.ParsedVersion is { } v && v >= new ServerVersion(8, 2, 0);
        var sql = useNewSyntax ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
        string file = "", doDb = "", ignoreDb = "", gtid = "";
        long position = 0;
        var found = false;
        await RunAsync(sql, async reader =>
        {
            if (!await reader.ReadAsync(cancellationToken)) return;
            found = true;
            file = reader.GetString(0);
            position = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
            doDb = reader.FieldCount > 2 && !reader.IsDBNull(2) ? reader.GetString(2) : "";
            ignoreDb = reader.FieldCount > 3 && !reader.IsDBNull(3) ? reader.GetString(3) : "";
            if (reader.FieldCount > 4 && !reader.IsDBNull(4)) gtid = reader.GetString(4);
        }, cancellationToken);
        if (!found)
            throw new UpstreamException(UpstreamErrorCodes.DatabaseUnexpected,
                $"unexpect database error: {sql} on {Endpoint.Address} returned no row; is log_bin enabled?");
        if (info.IsMariaDb)
            gtid = (await ReadGlobalVariablesAsync(cancellationToken, "gtid_binlog_pos")).GetValueOrDefault("gtid_binlog_pos", "");
        var text = string.Concat(gtid.Where(c => !char.IsWhiteSpace(c)));
        if (!GtidSet.TryParse(info.GtidFlavor, text, out var gtidSet))
            throw new UpstreamException(UpstreamErrorCodes.DatabaseUnexpected,
                $"unexpect database error: the GTID set {text} of {Endpoint.Address} cannot be read as a {info.Flavor} GTID set");
        return new MasterStatus(new BinlogLocation(file, position, gtidSet), doDb, ignoreDb);
    }

    /// <summary>
    /// The server's identity as DM names it (a relay log sub-directory per identity): MySQL's <c>server_uuid</c>; for MariaDB,
    /// which has none, its <c>gtid_domain_id</c> and <c>server_id</c> joined by a dash (<c>0-1</c>).
    /// </summary>
    public async Task<string> ReadServerUuidAsync(ServerInfo info, CancellationToken cancellationToken)
    {
        if (info.IsMariaDb) return $"{info.GtidDomainId ?? 0}-{info.ServerId}";
        var uuid = (await ReadGlobalVariablesAsync(cancellationToken, "server_uuid")).GetValueOrDefault("server_uuid", "");
        if (uuid.Length == 0)
            throw new UpstreamException(UpstreamErrorCodes.DatabaseUnexpected, $"unexpect database error: {Endpoint.Address} has no server_uuid");
        return uuid;
    }

    /// <summary>Raw <c>SHOW DATABASES</c>: system schemas included, as DM's API returns them.</summary>
    public async Task<IReadOnlyList<string>> ListSchemasAsync(CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await RunAsync("SHOW DATABASES", async reader =>
        {
            while (await reader.ReadAsync(cancellationToken)) names.Add(reader.GetString(0));
        }, cancellationToken);
        return names;
    }

    /// <summary>Base tables (no views) of one schema; any name works, <c>db-name</c> and backticks included.</summary>
    public async Task<IReadOnlyList<string>> ListBaseTablesAsync(string schema, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await RunAsync($"SHOW FULL TABLES IN {Quote.Identifier(schema)} WHERE Table_Type != 'VIEW'", async reader =>
        {
            while (await reader.ReadAsync(cancellationToken)) names.Add(reader.GetString(0));
        }, cancellationToken);
        return names;
    }

    /// <summary>
    /// Server-ids of replicas currently connected (SHOW REPLICAS on MySQL ≥ 8.0.22, SHOW SLAVE HOSTS otherwise).
    /// An account without the privilege to list them sees an empty set rather than an error: the random range
    /// makes a clash unlikely and the pick must not block creating a source.
    /// </summary>
    public async Task<IReadOnlySet<uint>> ReadReplicaServerIdsAsync(ServerInfo info, CancellationToken cancellationToken)
    {
        var useNewSyntax = !info.IsMariaDb && info.ParsedVersion is { } v && v >= new ServerVersion(8, 0, 22);
        var ids = new HashSet<uint>();
        try
        {
            await RunAsync(useNewSyntax ? "SHOW REPLICAS" : "SHOW SLAVE HOSTS", async reader =>
            {
                var column = FindColumn(reader, "Server_id");
                while (await reader.ReadAsync(cancellationToken))
                    if (!reader.IsDBNull(column)) ids.Add(Convert.ToUInt32(reader.GetValue(column), CultureInfo.InvariantCulture));
            }, cancellationToken);
        }
        catch (UpstreamException e) when (e.InnerException is MySqlException { Number: 1227 })
        {
            return ids;
        }
        return ids;
    }

    /// <summary>
    /// DM's pick for a new source: random in [429496729, 429496729+100000), not used by a connected replica
    /// nor by <paramref name="usedBySources"/> (server-ids other sources already replicate with).
    /// </summary>
    public async Task<uint> PickReplicationServerIdAsync(ServerInfo info, IReadOnlySet<uint> usedBySources,
        CancellationToken cancellationToken, Random? random = null)
    {
        var replicas = await ReadReplicaServerIdsAsync(info, cancellationToken);
        return ServerIdPicker.Pick(id => replicas.Contains(id) || usedBySources.Contains(id), random ?? Random.Shared);
    }

    /// <summary>SHOW GRANTS for the connected account (used by the precheck).</summary>
    public async Task<IReadOnlyList<string>> ShowGrantsAsync(CancellationToken cancellationToken)
    {
        var grants = new List<string>();
        await RunAsync("SHOW GRANTS", async reader =>
        {
            while (await reader.ReadAsync(cancellationToken)) grants.Add(reader.GetString(0));
        }, cancellationToken);
        return grants;
    }

    private async Task<Dictionary<string, string>> ReadGlobalVariablesAsync(CancellationToken cancellationToken, params string[] names)
    {
        var parameters = string.Join(", ", names.Select((_, i) => "@v" + i));
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        await RunAsync($"SHOW GLOBAL VARIABLES WHERE Variable_name IN ({parameters})", async reader =>
        {
            while (await reader.ReadAsync(cancellationToken))
                result[reader.GetString(0)] = reader.IsDBNull(1) ? "" : reader.GetString(1);
        }, cancellationToken, command =>
        {
            for (var i = 0; i < names.Length; i++) command.Parameters.AddWithValue("@v" + i, names[i]);
        });
        return result;
    }

    private async Task RunAsync(string sql, Func<MySqlDataReader, Task> read, CancellationToken cancellationToken,
        Action<MySqlCommand>? bind = null)
    {
        try
        {
            await using var command = new MySqlCommand(sql, _connection);
            bind?.Invoke(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await read(reader);
        }
        catch (MySqlException e)
        {
            throw new UpstreamException(UpstreamErrorCodes.DatabaseDriverError,
                $"database driver error: {sql} on {Endpoint.Address}: {e.Message}", e);
        }
    }

    private static int FindColumn(MySqlDataReader reader, string name)
    {
        for (var i = 0; i < reader.FieldCount; i++)
            if (string.Equals(reader.GetName(i), name, StringComparison.OrdinalIgnoreCase)) return i;
        throw new UpstreamException(UpstreamErrorCodes.DatabaseUnexpected, $"unexpect database error: no column {name}");
    }

    private static bool IsOn(string? value) => value is not null &&
        (value.Equals("ON", StringComparison.OrdinalIgnoreCase) || value == "1");

    private static uint? ParseUInt(string? value) =>
        uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    // Executed_Gtid_Set spans lines when long; the set itself has no whitespace.
    public ValueTask DisposeAsync() => _ownsConnection ? _connection.DisposeAsync() : ValueTask.CompletedTask;
}
