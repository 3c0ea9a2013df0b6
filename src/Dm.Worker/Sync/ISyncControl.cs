using Dm.Binlog.Replication;

namespace Dm.Worker.Sync;

/// <summary>
/// What the master may ask of one subtask's Sync unit while it runs or is paused (the worker's query
/// service serves this): the schema tracker behind DM's <c>binlog-schema</c> / schema endpoints, and
/// DM's <c>binlog skip|replace</c> for an event the target refused. Safe to call from any thread.
/// </summary>
public interface ISyncControl
{
    /// <summary>Upstream schemas the tracker knows.</summary>
    IReadOnlyList<string> ListSchemas();

    /// <summary>Tables of one upstream schema the tracker knows (empty when the schema is unknown).</summary>
    IReadOnlyList<string> ListTables(string schema);

    /// <summary>The tracked CREATE TABLE of an upstream table, or null when it is not tracked.</summary>
    string? GetCreateTable(string schema, string table);

    /// <summary>
    /// Replaces the tracked structure of an upstream table (DM's <c>binlog-schema update</c>). The SQL is one
    /// CREATE TABLE; its table name is ignored. <paramref name="flush"/> writes it to the checkpoint at once.
    /// Throws <see cref="Dm.Core.Errors.DmException"/> for SQL that is not a valid CREATE TABLE.
    /// </summary>
    Task SetCreateTableAsync(string schema, string table, string createTableSql, bool flush, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the tracked structure from the upstream's or the target's current <c>SHOW CREATE TABLE</c>
    /// (the target table is found through the task's routes).
    /// </summary>
    Task SetCreateTableFromAsync(string schema, string table, bool fromTarget, bool flush, CancellationToken cancellationToken);

    /// <summary>Forgets an upstream table (DM's <c>binlog-schema delete</c>); false when it was not tracked.</summary>
    Task<bool> DeleteTableAsync(string schema, string table, CancellationToken cancellationToken);

    /// <summary>
    /// Records what to do with the event the unit stopped on (or with the one at <paramref name="position"/>):
    /// skip it, or run <paramref name="replacement"/> statements instead. Takes effect when the
    /// subtask resumes. Throws <see cref="Dm.Core.Errors.DmException"/> when there is no such event to act on.
    /// </summary>
    void HandleError(SyncErrorOperation operation, BinlogPosition? position, IReadOnlyList<string> replacement);

    /// <summary>Pending error operations as (position, operation, statements), in binlog order.</summary>
    IReadOnlyList<(BinlogPosition Position, SyncErrorOperation Operation, IReadOnlyList<string> Statements)> ListErrorOperations();

    /// <summary>Drops a pending operation (the one of the event the unit stopped on when null); false when there is none.</summary>
    bool RevertErrorOperation(BinlogPosition? position);
}

/// <summary>DM's <c>binlog</c> operations on an event the target refused.</summary>
public enum SyncErrorOperation
{
    Skip,
    Replace,
}
