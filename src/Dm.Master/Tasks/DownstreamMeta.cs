using Dm.Core.Upstream;
using MySqlConnector;

namespace Dm.Master.Tasks;

/// <summary>The task's tables in the target's meta schema (checkpoints and the like), dropped when a task's meta is removed.</summary>
public static class DownstreamMeta
{
    private static readonly string[] Suffixes =
    [
        "_loader_checkpoint", "_dump_state", "_fence", "_lightning_checkpoint_list", "_syncer_checkpoint", "_syncer_applied", "_syncer_sharding_meta", "_onlineddl",
        "_validator_checkpoint", "_validator_pending_change", "_validator_error_change", "_validator_table_status",
    ];

    /// <summary>The longest name a task may have: its meta tables are <c>task + suffix</c>, and MySQL's names end at 64 characters.</summary>
    public static readonly int MaxTaskNameLength = 64 - Suffixes.Max(s => s.Length);

    /// <summary>Drops the tables within 10 s; a failure is only logged, as in DM (the task is gone either way).</summary>
    public static async Task DropAsync(DatabaseEndpoint target, string metaSchema, string task, ILogger logger, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await using var connection = await DatabaseConnector.OpenAsync(target, timeout.Token);
            foreach (var suffix in Suffixes)
            {
                await using var command = new MySqlCommand($"DROP TABLE IF EXISTS {Quote.Table(metaSchema, task + suffix)}", connection);
                await command.ExecuteNonQueryAsync(timeout.Token);
            }
        }
        catch (Exception e) when (e is MySqlException or UpstreamException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("could not drop the meta tables of task {Task} in {Schema}: {Error}", task, metaSchema, e.Message);
        }
    }
}
