using Dm.Core.Rules;
using Dm.Core.Upstream;
using Dm.Master.Precheck.Privileges;
using MySqlConnector;

namespace Dm.Master.Precheck;

/// <summary>Reads the source and target snapshots; an unreachable database is DM's 26002 error.</summary>
internal static class SnapshotReader
{

    public static async Task<SourceSnapshot> ReadSourceAsync(PrecheckSource source, ConnectionBudget budget, CancellationToken cancellationToken)
    {
        try
        {
            return await budget.WithConnectionAsync(source.Endpoint, async connection =>
            {
                await using var inspector = UpstreamInspector.Over(source.Endpoint, connection);
                var info = await inspector.ReadServerInfoAsync(cancellationToken);
                IReadOnlyList<string>? grants = null;
                string? grantsError = null;
                try { grants = await AccountGrants.ReadAsync(connection, info.IsMariaDb, cancellationToken); }
                catch (UpstreamException e) { grantsError = e.Message; }
                MasterStatus? binlog = null;
                string? binlogError = null;
                try { binlog = await inspector.ReadMasterStatusAsync(info, cancellationToken); }
                catch (UpstreamException e) { binlogError = e.Message; }

                var tables = new List<TableMapping>();
                var schemaTables = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
                foreach (var schema in await inspector.ListSchemasAsync(cancellationToken))
                {
                    if (SystemSchemas.Contains(schema) || !source.SchemaFilter(schema)) continue;
                    var all = await inspector.ListBaseTablesAsync(schema, cancellationToken);
                    schemaTables[schema] = all;
                    foreach (var table in all)
                        if (source.TableFilter(schema, table))
                        {
                            var from = new TableRef(schema, table);
                            tables.Add(new TableMapping(from, source.Router(from)));
                        }
                }
                var collations = (await SqlRows.ReadAsync(connection,
                        "SELECT COLLATION_NAME, CHARACTER_SET_NAME FROM information_schema.COLLATIONS WHERE CHARACTER_SET_NAME IS NOT NULL",
                        r => (Name: r.GetString(0), Charset: r.GetString(1)), cancellationToken))
                    .DistinctBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
                    .ToDictionary(c => c.Name, c => c.Charset, StringComparer.OrdinalIgnoreCase);
                return new SourceSnapshot
                {
                    Source = source, Info = info, Grants = grants, GrantsError = grantsError,
                    Binlog = binlog, BinlogError = binlogError, Tables = tables, SchemaTables = schemaTables, Collations = collations,
                };
            }, cancellationToken);
        }
        catch (UpstreamException e) when (e.ConnectFailed)
        {
            throw OpenFailed(source.Endpoint, e);
        }
    }

    public static async Task<TargetSnapshot> ReadTargetAsync(PrecheckRequest request, ConnectionBudget budget, CancellationToken cancellationToken)
    {
        try
        {
            return await budget.WithConnectionAsync(request.Target, async connection =>
            {
                var version = (await SqlRows.ReadAsync(connection, "SELECT VERSION()", r => r.GetString(0), cancellationToken))[0];
                var mariaDb = ServerFlavor.Detect(version, null) == ServerFlavor.MariaDb;
                IReadOnlyList<string>? grants = null;
                string? grantsError = null;
                try { grants = await AccountGrants.ReadAsync(connection, mariaDb, cancellationToken); }
                catch (UpstreamException e) { grantsError = e.Message; }
                var charsets = (await SqlRows.ReadAsync(connection,
                    "SELECT CHARACTER_SET_NAME FROM information_schema.CHARACTER_SETS", r => r.GetString(0), cancellationToken))
                    .ToHashSet(StringComparer.OrdinalIgnoreCase);
                var engines = (await SqlRows.ReadAsync(connection,
                    "SELECT ENGINE FROM information_schema.ENGINES WHERE SUPPORT IN ('YES', 'DEFAULT')", r => r.GetString(0), cancellationToken))
                    .ToHashSet(StringComparer.OrdinalIgnoreCase);
                var (lowerCase, maxConnections) = (await SqlRows.ReadAsync(connection, "SELECT @@lower_case_table_names, @@max_connections",
                    r => (Convert.ToInt32(r.GetValue(0)), Convert.ToInt32(r.GetValue(1))), cancellationToken))[0];
                var checkpoints = await SqlRows.ReadAsync(connection,
                    "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = @schema AND TABLE_NAME IN (@loader, @lightning, @syncer)",
                    r => Convert.ToInt64(r.GetValue(0)), cancellationToken,
                    ("@schema", request.MetaSchema),
                    ("@loader", request.TaskName + "_loader_checkpoint"),
                    ("@lightning", request.TaskName + "_lightning_checkpoint_list"),
                    ("@syncer", request.TaskName + "_syncer_checkpoint"));
                return new TargetSnapshot
                {
                    Endpoint = request.Target, Version = version, Grants = grants, GrantsError = grantsError,
                    Charsets = charsets, Engines = engines, HasCheckpoints = checkpoints[0] > 0, CaseSensitive = lowerCase == 0, MaxConnections = maxConnections,
                };
            }, cancellationToken);
        }
        catch (UpstreamException e) when (e.ConnectFailed)
        {
            throw OpenFailed(request.Target, e);
        }
    }

    private static UpstreamException OpenFailed(DatabaseEndpoint endpoint, UpstreamException cause) =>
        new(UpstreamErrorCodes.TaskCheckFailedOpenDb,
            $"failed to open DSN {endpoint.User}:***@{endpoint.Host}:{endpoint.Port}: {(cause.PublicMessage != null ? DatabaseConnector.Unreachable : cause.InnerException?.Message ?? cause.Message)}, " +
            "Workaround: Please check the database config in configuration file.", cause);

    /// <summary>DM's ErrTaskCheckSameTableName: two tables of one source routed to targets that differ only by case.</summary>
    public static void DetectCaseCollisions(IEnumerable<SourceSnapshot> sources)
    {
        foreach (var source in sources)
        {
            var byLower = new Dictionary<string, string>(StringComparer.Ordinal);
            var messages = new List<string>();
            foreach (var name in source.Tables.Select(t => t.Target.ToString()).Distinct())
            {
                var lower = name.ToLowerInvariant();
                if (byLower.TryGetValue(lower, out var first)) messages.Add($"same target table {first} vs {name}");
                else byLower[lower] = name;
            }
            if (messages.Count > 0)
                throw new UpstreamException(UpstreamErrorCodes.TaskCheckSameTableName,
                    $"same table name in case-insensitive [{string.Join(" ", messages)}], " +
                    "Workaround: Please check `target-table` config in task configuration file.");
        }
    }
}
