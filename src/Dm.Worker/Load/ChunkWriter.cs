using Dm.Worker.Checkpoints;
using Dm.Worker.Dump;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Load;

/// <summary>
/// Applies one chunk to the target in a single transaction that also inserts the chunk's checkpoint row:
/// after a crash a chunk is either entirely present and checkpointed, or entirely absent.
/// </summary>
public sealed class ChunkWriter(MySqlConnection connection, LoaderCheckpointTable checkpoint, string verb, LoadProgress progress)
{
    public async Task WriteAsync(TablePlan table, ChunkPlan chunk, IAsyncEnumerable<string> statementBodies, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long bytes = 0;
        await foreach (var body in statementBodies.WithCancellation(cancellationToken))
        {
            await DataConnections.ExecuteAsync(connection, verb + body, cancellationToken, transaction);
            bytes += body.Length;
            progress.AddPending(body.Length);
        }
        await checkpoint.RecordFinishedAsync(connection, transaction, chunk.Id, table.TargetSchema, table.TargetTable, bytes, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        progress.ChunkCommitted(bytes);
    }
}
