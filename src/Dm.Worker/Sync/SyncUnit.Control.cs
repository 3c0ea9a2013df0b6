using Dm.Binlog.Replication;
using Dm.Core.Errors;
using Dm.Sql;
using Dm.Worker.Sync.Planning;
using Dm.Worker.Units;

namespace Dm.Worker.Sync;

/// <summary>The master's operations on this unit: the tracked schema (persisted at once) and error handling.</summary>
public sealed partial class SyncUnit
{
    public IReadOnlyList<string> ListSchemas() => _schemas.Schemas();

    public IReadOnlyList<string> ListTables(string schema) => _schemas.Tables(schema);

    public string? GetCreateTable(string schema, string table) => _schemas.CreateSql(schema, table);

    public async Task SetCreateTableAsync(string schema, string table, string createTableSql, bool flush, CancellationToken cancellationToken)
    {
        string normalised;
        try
        {
            _schemas.EnsureDatabase(schema);
            normalised = _schemas.Set(schema, table, createTableSql);
        }
        catch (Exception e) when (e is SqlParseException or Dm.Sql.Tracking.SchemaTrackerException)
        {
            throw DmErrors.ErrSchemaTrackerCannotCreateTable.Wrap(e, $"`{schema}`.`{table}`");
        }
        // Always persisted: the next run rebuilds the tracker from the checkpoint, so an unsaved change would be lost.
        await using var target = await DataConnections.OpenAsync(_settings.Target, cancellationToken);
        await _checkpoint.EnsureAsync(target, cancellationToken);
        var at = await _checkpoint.ReadGlobalAsync(target, cancellationToken);
        await _checkpoint.WriteTableAsync(target, schema, table, normalised,
            at?.Position ?? new BinlogLocation("", 0), cancellationToken);
    }

    public async Task SetCreateTableFromAsync(string schema, string table, bool fromTarget, bool flush, CancellationToken cancellationToken)
    {
        var endpoint = fromTarget ? _settings.Target : _settings.Upstream;
        var (s, t) = fromTarget ? _settings.Config.CreateTableRouter().Route(schema, table) : (schema, table);
        await using var connection = await DataConnections.OpenAsync(endpoint, cancellationToken);
        var sql = await TrackedSchemas.ShowCreateTableAsync(connection, s, t, cancellationToken)
                  ?? throw DmErrors.ErrSyncerDownstreamTableNotFound.New($"`{s}`.`{t}`");
        await SetCreateTableAsync(schema, table, sql, flush, cancellationToken);
    }

    public async Task<bool> DeleteTableAsync(string schema, string table, CancellationToken cancellationToken)
    {
        var known = _schemas.Remove(schema, table);
        await using var target = await DataConnections.OpenAsync(_settings.Target, cancellationToken);
        await _checkpoint.EnsureAsync(target, cancellationToken);
        await _checkpoint.DeleteTableAsync(target, schema, table, cancellationToken);
        return known;
    }

    public void HandleError(SyncErrorOperation operation, BinlogPosition? position, IReadOnlyList<string> replacement)
    {
        var at = position ?? BlockedAt;
        if (at is null)
            throw DmErrors.ErrSyncerOperatorNotExist.WithMessage("the Sync unit is not stopped on an event; give the position (file:pos) to act on");
        if (operation == SyncErrorOperation.Replace && replacement.Count == 0)
            throw DmErrors.ErrSyncerUnitNotSupportedOperate.WithMessage("binlog replace needs at least one statement");
        _errorOperations[at.Value] = (operation, replacement);
    }

    public IReadOnlyList<(BinlogPosition Position, SyncErrorOperation Operation, IReadOnlyList<string> Statements)> ListErrorOperations() =>
        _errorOperations.OrderBy(kv => kv.Key).Select(kv => (kv.Key, kv.Value.Operation, kv.Value.Statements)).ToList();

    public bool RevertErrorOperation(BinlogPosition? position)
    {
        var at = position ?? BlockedAt;
        return at is { } p && _errorOperations.TryRemove(p, out _);
    }
}
