using Dm.Binlog.Replication;
using Dm.Core.Errors;
using Dm.Worker.Sync;

namespace Dm.Worker.Tests.Query;

/// <summary>
/// A Sync unit's control surface kept in memory, for the query service's own tests: tables by schema,
/// pending error operations by position, and a record of what was asked (flush, from upstream/target).
/// </summary>
internal sealed class InMemorySyncControl : ISyncControl
{
    private readonly object _gate = new();
    private readonly SortedDictionary<string, SortedDictionary<string, string>> _tables = new(StringComparer.Ordinal);
    private readonly List<(BinlogPosition Position, SyncErrorOperation Operation, IReadOnlyList<string> Statements)> _operations = [];

    /// <summary>The position of the event the unit stopped on; null when it is not stopped on an error.</summary>
    public BinlogPosition? StoppedAt { get; set; }

    public List<string> Calls { get; } = [];

    /// <summary>What SetCreateTableFromAsync reads from "the database" (a stand-in for SHOW CREATE TABLE).</summary>
    public Dictionary<(bool FromTarget, string Schema, string Table), string> Databases { get; } = [];

    public void Track(string schema, string table, string createTable)
    {
        lock (_gate)
        {
            if (!_tables.TryGetValue(schema, out var tables)) _tables[schema] = tables = new(StringComparer.Ordinal);
            tables[table] = createTable;
        }
    }

    public IReadOnlyList<string> ListSchemas()
    {
        lock (_gate) return _tables.Keys.ToList();
    }

    public IReadOnlyList<string> ListTables(string schema)
    {
        lock (_gate) return _tables.TryGetValue(schema, out var tables) ? tables.Keys.ToList() : [];
    }

    public string? GetCreateTable(string schema, string table)
    {
        lock (_gate) return _tables.TryGetValue(schema, out var tables) ? tables.GetValueOrDefault(table) : null;
    }

    public Task SetCreateTableAsync(string schema, string table, string createTableSql, bool flush, CancellationToken cancellationToken)
    {
        if (!createTableSql.TrimStart().StartsWith("CREATE TABLE", StringComparison.OrdinalIgnoreCase))
            throw DmErrors.ErrSchemaTrackerInvalidCreateTableStmt.New(createTableSql);
        Calls.Add($"set {schema}.{table} flush={flush}");
        Track(schema, table, createTableSql);
        return Task.CompletedTask;
    }

    public Task SetCreateTableFromAsync(string schema, string table, bool fromTarget, bool flush, CancellationToken cancellationToken)
    {
        Calls.Add($"set {schema}.{table} from {(fromTarget ? "target" : "upstream")} flush={flush}");
        if (!Databases.TryGetValue((fromTarget, schema, table), out var sql))
            throw new InvalidOperationException($"Table '{schema}.{table}' doesn't exist");
        Track(schema, table, sql);
        return Task.CompletedTask;
    }

    public Task<bool> DeleteTableAsync(string schema, string table, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult(_tables.TryGetValue(schema, out var tables) && tables.Remove(table));
    }

    public void HandleError(SyncErrorOperation operation, BinlogPosition? position, IReadOnlyList<string> replacement)
    {
        var at = position ?? StoppedAt ?? throw DmErrors.ErrSyncerOperatorNotExist.WithMessage("the subtask is not stopped on an error");
        lock (_gate)
        {
            _operations.RemoveAll(o => o.Position == at);
            _operations.Add((at, operation, replacement));
        }
    }

    public IReadOnlyList<(BinlogPosition Position, SyncErrorOperation Operation, IReadOnlyList<string> Statements)> ListErrorOperations()
    {
        lock (_gate) return _operations.ToList();
    }

    public bool RevertErrorOperation(BinlogPosition? position)
    {
        var at = position ?? StoppedAt;
        lock (_gate) return at != null && _operations.RemoveAll(o => o.Position == at) > 0;
    }
}
