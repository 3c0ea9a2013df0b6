using Dm.Core.Errors;
using Dm.Core.Rules;
using Dm.Core.Upstream;
using Dm.Sql;
using Dm.Sql.Ast;
using Dm.Sql.Parsing;
using Dm.Sql.Printing;
using Dm.Sql.Tracking;
using Dm.Worker.Errors;
using MySqlConnector;

namespace Dm.Worker.Sync.Planning;

/// <summary>
/// The Sync unit's schema tracker, shared with the master's schema operations (hence the lock). A table the
/// tracker has not seen is loaded the way DM does: from the target table it routes to (which has not yet seen
/// any later upstream DDL), else from the upstream.
/// </summary>
/// <remarks>A table whose route fills extend columns is loaded from the upstream: the target table has columns the upstream's lacks.</remarks>
internal sealed class TrackedSchemas(TableRouter router, string sourceId = "")
{
    private readonly object _gate = new();
    private SchemaTracker _tracker = new();

    public void Reset(IEnumerable<(string Schema, string Table, string CreateSql)> tables)
    {
        var tracker = new SchemaTracker();
        foreach (var (schema, table, sql) in tables)
        {
            try { tracker.SetTable(schema, Rename(sql, table)); }
            catch (Exception e) when (e is SqlParseException or SchemaTrackerException)
            {
                throw DmErrors.ErrSchemaTrackerInvalidJSON.Wrap(e, schema, table);
            }
        }
        lock (_gate) _tracker = tracker;
    }

    public TableInfo? Get(string schema, string table)
    {
        lock (_gate) return _tracker.GetTable(schema, table);
    }

    public IReadOnlyList<string> Schemas()
    {
        lock (_gate) return _tracker.Databases;
    }

    public IReadOnlyList<string> Tables(string schema)
    {
        lock (_gate) return _tracker.Tables(schema);
    }

    public string? CreateSql(string schema, string table)
    {
        lock (_gate) return _tracker.GetTable(schema, table) is { } info ? SqlPrinter.Print(info.Definition) : null;
    }

    /// <summary>Sets a table from CREATE TABLE text (its own table name ignored); returns the normalised text.</summary>
    public string Set(string schema, string table, string createSql)
    {
        var renamed = Rename(createSql, table);
        lock (_gate)
        {
            _tracker.SetTable(schema, renamed);
            return SqlPrinter.Print(_tracker.GetTable(schema, table)!.Definition);
        }
    }

    public bool Remove(string schema, string table)
    {
        lock (_gate) return _tracker.RemoveTable(schema, table);
    }

    public void Apply(Statement statement, string? currentSchema)
    {
        lock (_gate) _tracker.Apply(statement, currentSchema);
    }

    public void EnsureDatabase(string schema)
    {
        lock (_gate)
            if (!_tracker.HasDatabase(schema)) _tracker.CreateDatabase(schema);
    }

    /// <summary>Loads an unseen table: routed target table first, then the upstream; null when neither has it.</summary>
    public async Task<TableInfo?> LoadAsync(string schema, string table, MySqlConnection target, Func<CancellationToken, Task<MySqlConnection>> upstream,
        CancellationToken cancellationToken, bool targetOnly = false)
    {
        var (targetSchema, targetTable) = router.Route(schema, table);
        var extended = router.ExtendColumns(schema, table, sourceId).Columns.Count > 0;
        var sql = extended && !targetOnly ? null : await ShowCreateTableAsync(target, targetSchema, targetTable, cancellationToken);
        if (sql is null && !targetOnly) sql = await ShowCreateTableAsync(await upstream(cancellationToken), schema, table, cancellationToken);
        if (sql is null) return null;
        EnsureDatabase(schema);
        Set(schema, table, sql);
        return Get(schema, table);
    }

    /// <summary>SHOW CREATE TABLE text, or null when the table does not exist (or is a view).</summary>
    public static async Task<string?> ShowCreateTableAsync(MySqlConnection connection, string schema, string table, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand($"SHOW CREATE TABLE {Quote.Table(schema, table)}", connection);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken) || reader.FieldCount < 2 || reader.GetName(1) != "Create Table") return null;
            return reader.GetString(1);
        }
        catch (MySqlException e) when (DatabaseErrorPolicy.IsUnknownTable(e))
        {
            return null;
        }
    }

    private static string Rename(string createSql, string table)
    {
        if (SqlParser.Parse(createSql) is not CreateTableStatement create)
            throw DmErrors.ErrSchemaTrackerCannotCreateTable.New($"{table}: not a CREATE TABLE statement");
        return SqlPrinter.Print(create with { Table = new TableName(null, table) });
    }
}
