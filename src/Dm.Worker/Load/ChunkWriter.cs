using System.Collections.Concurrent;
using Dm.Worker.Checkpoints;
using Dm.Worker.Dump;
using Dm.Worker.Errors;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Load;

/// <summary>
/// Applies one SQL chunk to the target in a single transaction that also inserts the chunk's checkpoint row:
/// after a crash a chunk is either entirely present and checkpointed, or entirely absent.
/// Rows go in with plain INSERT first (cheaper than REPLACE in InnoDB); if that hits an existing key, the chunk
/// is rolled back and retried — and the table from then on loaded — with the configured on-duplicate verb. An
/// INSERT that meets no existing key does exactly what REPLACE or INSERT IGNORE would have done. Keys that turn out to be
/// this chunk's own, committed by an earlier attempt whose answer was lost, make the chunk done, not a conflict.
/// </summary>
/// <param name="extendedColumns">The task's extend columns (null when none): added to each row of the tables whose route extracts them.</param>
public sealed class ChunkWriter(MySqlConnection connection, LoaderCheckpointTable checkpoint, string verb, LoadProgress progress,
    ConcurrentDictionary<string, bool> conflictingTables, ExtendedColumns? extendedColumns = null)
{
    private const string PlainInsert = "INSERT INTO ";

    public async Task WriteAsync(TablePlan table, ChunkPlan chunk, IAsyncEnumerable<string> statementBodies, CancellationToken cancellationToken)
    {
        var tableKey = table.TargetSchema + "\0" + table.TargetTable;
        var chunkVerb = conflictingTables.ContainsKey(tableKey) ? verb : PlainInsert;
        var extension = extendedColumns?.For(table.SourceSchema, table.SourceTable);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long bytes = 0;
        try
        {
            await foreach (var body in statementBodies.WithCancellation(cancellationToken))
            {
                await DataConnections.ExecuteAsync(connection, chunkVerb + (extension is null ? body : ExtendedInsertRows.Append(body, extension)),
                    cancellationToken, transaction);
                bytes += body.Length;
                progress.AddPending(body.Length);
            }
            await checkpoint.RecordFinishedAsync(connection, transaction, chunk.Id, table.TargetSchema, table.TargetTable, bytes, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DataStatementException e) when (DatabaseErrorPolicy.IsDuplicateEntry(e))
        {
            progress.AddPending(-bytes);
            await transaction.RollbackAsync(CancellationToken.None);
            // The keys may be this very chunk's, committed by an earlier attempt cut before COMMIT's answer came back.
            if (await checkpoint.FinishedBytesAsync(connection, chunk.Id, cancellationToken) is { } done)
            {
                progress.AddPending(done);
                progress.ChunkCommitted(done);
                return;
            }
            if (ReferenceEquals(chunkVerb, verb) || verb == PlainInsert) throw;
            conflictingTables.TryAdd(tableKey, true);
            throw new ChunkConflictException(e);
        }
        catch
        {
            progress.AddPending(-bytes);
            throw;
        }
        progress.ChunkCommitted(bytes);
    }
}

/// <summary>The fast INSERT met an existing key; the chunk was rolled back and must be applied again with the configured verb.</summary>
public sealed class ChunkConflictException(Exception cause) : Exception("duplicate key under plain INSERT; retrying with the on-duplicate verb", cause);
