using Dm.Core.Errors;
using Dm.Core.Upstream;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Checkpoints;

/// <summary>
/// DM#'s fencing of a subtask's writes to the target by the epoch of its source's binding (the store revision that bound the
/// source to this worker). <c>&lt;meta&gt;.&lt;task&gt;_fence</c> holds one row per source with the latest epoch that claimed
/// it: a unit claims its epoch before it reads its checkpoint, and every checkpoint write carries a guard (<see cref="Guard"/>)
/// that lets it land only while the row still has this epoch, read with a shared lock in the write's own transaction. A claim waits for the writes
/// in flight, so once a later binding has claimed the source, a worker cut off from the master (frozen, partitioned) lands
/// nothing more: its batches, checkpoint flushes and loaded chunks fail instead. Epoch 0 (no binding known) guards nothing.
/// </summary>
public sealed class TargetFence(string metaSchema, string taskName, string sourceId, long epoch)
{
    /// <summary>A fence that guards nothing (units run outside a cluster).</summary>
    public static TargetFence None { get; } = new("", "", "", 0);

    public bool IsActive => epoch > 0;

    public long Epoch => epoch;

    public string TableName => Quote.Table(metaSchema, taskName + "_fence");

    /// <summary>Makes this epoch the source's (unless a later one is there already: then this binding is over).</summary>
    public async Task ClaimAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        if (!IsActive) return;
        await DataConnections.ExecuteAsync(connection, "CREATE DATABASE IF NOT EXISTS " + Quote.Identifier(metaSchema), cancellationToken);
        await DataConnections.ExecuteAsync(connection, $"""
            CREATE TABLE IF NOT EXISTS {TableName} (
              `id` VARCHAR(32) NOT NULL,
              `epoch` BIGINT NOT NULL,
              `update_time` timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
              PRIMARY KEY (`id`)
            ) DEFAULT CHARSET=utf8mb4
            """, cancellationToken);
        await using (var claim = new MySqlCommand(
            $"INSERT INTO {TableName} (`id`,`epoch`) VALUES (@id,@epoch) ON DUPLICATE KEY UPDATE `epoch` = GREATEST(`epoch`, VALUES(`epoch`))", connection))
        {
            claim.Parameters.AddWithValue("@id", sourceId);
            claim.Parameters.AddWithValue("@epoch", epoch);
            await claim.ExecuteNonQueryAsync(cancellationToken);
        }
        var current = await CurrentAsync(connection, cancellationToken);
        if (current != epoch) throw Fenced(current);
    }

    /// <summary>
    /// The SQL expression to write into a NOT NULL column instead of <paramref name="valueSql"/>: the value while the source is
    /// this epoch's (its fence row read with a shared lock that holds to the end of the write's transaction), NULL otherwise,
    /// which the server refuses (error 1048, see <see cref="IsRefusal"/>), failing the write. The value itself when the fence
    /// guards nothing. Uses the named parameters <see cref="AddGuardParameters"/> adds.
    /// </summary>
    public string Guard(string valueSql) =>
        IsActive ? $"(SELECT IF(`epoch` = @fence_epoch, {valueSql}, NULL) FROM {TableName} WHERE `id` = @fence_id LOCK IN SHARE MODE)" : valueSql;

    public void AddGuardParameters(MySqlParameterCollection parameters)
    {
        if (!IsActive) return;
        parameters.AddWithValue("@fence_epoch", epoch);
        parameters.AddWithValue("@fence_id", sourceId);
    }

    /// <summary>Whether a write failed because its guarded <paramref name="column"/> was refused: the source was bound again.</summary>
    public bool IsRefusal(Exception e, string column) =>
        IsActive && (e as MySqlException ?? e.InnerException as MySqlException) is { ErrorCode: MySqlErrorCode.ColumnCannotBeNull } m
        && m.Message.Contains($"'{column}'", StringComparison.Ordinal);

    /// <summary>DM's 40070 saying this binding is over (for a refused guarded write).</summary>
    public DmException Fenced() => Fenced(null);

    private async Task<long> CurrentAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand($"SELECT `epoch` FROM {TableName} WHERE `id` = @id", connection);
        command.Parameters.AddWithValue("@id", sourceId);
        return await command.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull
            ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    private DmException Fenced(long? current) => DmErrors.ErrWorkerNoStart.WithMessage(
        $"source {sourceId} was bound again{(current is { } c ? $" (binding epoch {c}, this worker's {epoch})" : $" after this worker's binding epoch {epoch}")}: " +
        $"this worker writes nothing more of task {taskName} to the target");
}
