using Dm.Core.Upstream;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Checkpoints;

/// <summary>
/// <c>&lt;meta&gt;.&lt;task&gt;_loader_checkpoint</c> with DM's legacy loader columns. A row is written in the same
/// transaction as its chunk's rows, so "row present" means "chunk fully in the target" — a restart skips exactly
/// those chunks. <c>filename</c> is the chunk id (also its file name in file mode); offset = end_pos = its bytes.
/// </summary>
public sealed class LoaderCheckpointTable(string metaSchema, string taskName, string sourceId, TargetFence? fence = null)
{
    public string TableName => Quote.Table(metaSchema, taskName + "_loader_checkpoint");

    public async Task EnsureAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        await DataConnections.ExecuteAsync(connection, "CREATE DATABASE IF NOT EXISTS " + Quote.Identifier(metaSchema), cancellationToken);
        await DataConnections.ExecuteAsync(connection, $"""
            CREATE TABLE IF NOT EXISTS {TableName} (
              `id` char(32) NOT NULL,
              `filename` varchar(255) NOT NULL,
              `cp_schema` varchar(128) NOT NULL,
              `cp_table` varchar(128) NOT NULL,
              `offset` bigint NOT NULL,
              `end_pos` bigint NOT NULL,
              `create_time` timestamp DEFAULT CURRENT_TIMESTAMP,
              `update_time` timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
              UNIQUE KEY `uk_id_f` (`id`,`filename`)
            ) DEFAULT CHARSET=utf8mb4
            """, cancellationToken);
    }

    /// <summary>Finished chunk ids and their byte sizes.</summary>
    public async Task<Dictionary<string, long>> ReadFinishedAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        var finished = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var command = new MySqlCommand($"SELECT `filename`, `end_pos` FROM {TableName} WHERE `id` = @id AND `offset` = `end_pos`", connection);
        command.Parameters.AddWithValue("@id", sourceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            finished[reader.GetString(0)] = reader.GetInt64(1);
        return finished;
    }

    /// <summary>
    /// The size of the chunk when it is finished, else null. A chunk whose rows meet existing keys is asked this: an earlier
    /// attempt whose connection was cut after it sent COMMIT may have committed it (rows and checkpoint row together).
    /// </summary>
    public async Task<long?> FinishedBytesAsync(MySqlConnection connection, string chunkId, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(
            $"SELECT `end_pos` FROM {TableName} WHERE `id` = @id AND `filename` = @f AND `offset` = `end_pos`", connection);
        command.Parameters.AddWithValue("@id", sourceId);
        command.Parameters.AddWithValue("@f", chunkId);
        return await command.ExecuteScalarAsync(cancellationToken) is { } bytes and not DBNull
            ? Convert.ToInt64(bytes, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    /// <summary>The fence this subtask's writes carry (none outside a cluster).</summary>
    public TargetFence Fence { get; } = fence ?? TargetFence.None;

    /// <summary>Marks a chunk finished inside the caller's transaction (the one holding the chunk's rows).</summary>
    public async Task RecordFinishedAsync(MySqlConnection connection, MySqlTransaction transaction, string chunkId,
        string targetSchema, string targetTable, long bytes, CancellationToken cancellationToken)
    {
        // Written only while this binding holds the source: a chunk of a worker whose source was bound again must not commit.
        await using var command = new MySqlCommand(
            $"INSERT INTO {TableName} (`id`,`filename`,`cp_schema`,`cp_table`,`offset`,`end_pos`) VALUES (@id,@f,@s,{Fence.Guard("@t")},@b,@b) " +
            "ON DUPLICATE KEY UPDATE `offset` = VALUES(`offset`), `end_pos` = VALUES(`end_pos`)", connection, transaction);
        command.Parameters.AddWithValue("@id", sourceId);
        command.Parameters.AddWithValue("@f", chunkId);
        command.Parameters.AddWithValue("@s", targetSchema);
        command.Parameters.AddWithValue("@t", targetTable);
        command.Parameters.AddWithValue("@b", bytes);
        Fence.AddGuardParameters(command.Parameters);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (MySqlException e) when (Fence.IsRefusal(e, "cp_table"))
        {
            throw Fence.Fenced();
        }
    }
}
