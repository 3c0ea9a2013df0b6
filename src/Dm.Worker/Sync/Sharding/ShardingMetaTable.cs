using System.Text.Json;
using Dm.Core.Upstream;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Sync.Sharding;

/// <summary>
/// DM's <c>&lt;meta&gt;.&lt;task&gt;_syncer_sharding_meta</c>: the sharding groups of this source that meet a DDL, with DM's
/// columns — per group a global row (<c>is_global</c>, the DDLs and where the first member met them) and a row per member
/// (whether it reached them). Written when a member reaches the DDL, deleted when the lock is resolved; a run that starts
/// again rebuilds its groups from the binlog (the checkpoint stays before the first DDL), so the table shows the state.
/// </summary>
internal sealed class ShardingMetaTable(string metaSchema, string taskName, string sourceId)
{
    public string TableName => Quote.Table(metaSchema, taskName + "_syncer_sharding_meta");

    public Task EnsureAsync(MySqlConnection connection, CancellationToken cancellationToken) => DataConnections.ExecuteAsync(connection, $"""
        CREATE TABLE IF NOT EXISTS {TableName} (
          `source_id` VARCHAR(32) NOT NULL,
          `target_table_id` VARCHAR(144) NOT NULL,
          `source_table_id` VARCHAR(144) NOT NULL,
          `active_index` INT,
          `is_global` BOOLEAN,
          `data` JSON,
          `create_time` timestamp DEFAULT CURRENT_TIMESTAMP,
          `update_time` timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
          UNIQUE KEY `uk_source_id_table_id_source` (`source_id`, `target_table_id`, `source_table_id`)
        ) DEFAULT CHARSET=utf8mb4
        """, cancellationToken);

    private static string Id((string Schema, string Table) t) => $"`{t.Schema}`.`{t.Table}`";

    /// <summary>The group's rows as they are now.</summary>
    public async Task SaveAsync(MySqlConnection connection, ShardingGroup group, CancellationToken cancellationToken)
    {
        var commands = new List<MySqlBatchCommand> { Delete(group.Target) };
        var ddls = group.ActiveDdls ?? [];
        commands.Add(Row(group.Target, "", isGlobal: true, JsonSerializer.Serialize(new
        {
            ddls, first_location = group.FirstLocation?.Position.ToDmString() ?? "",
        })));
        foreach (var member in group.Members.Union(group.Synced))
            commands.Add(Row(group.Target, Id(member), isGlobal: false, JsonSerializer.Serialize(new { synced = group.Synced.Contains(member), ddls })));
        await SyncCheckpointTableExecute(connection, commands, cancellationToken);
    }

    /// <summary>The group's DDL is resolved: its rows go.</summary>
    public Task DeleteAsync(MySqlConnection connection, (string Schema, string Table) target, CancellationToken cancellationToken) =>
        SyncCheckpointTableExecute(connection, [Delete(target)], cancellationToken);

    private MySqlBatchCommand Delete((string Schema, string Table) target)
    {
        var command = new MySqlBatchCommand($"DELETE FROM {TableName} WHERE `source_id` = @source AND `target_table_id` = @target");
        command.Parameters.AddWithValue("@source", sourceId);
        command.Parameters.AddWithValue("@target", Id(target));
        return command;
    }

    private MySqlBatchCommand Row((string Schema, string Table) target, string sourceTable, bool isGlobal, string data)
    {
        var command = new MySqlBatchCommand(
            $"INSERT INTO {TableName} (`source_id`,`target_table_id`,`source_table_id`,`active_index`,`is_global`,`data`) VALUES (@source,@target,@table,0,@global,@data)");
        command.Parameters.AddWithValue("@source", sourceId);
        command.Parameters.AddWithValue("@target", Id(target));
        command.Parameters.AddWithValue("@table", sourceTable);
        command.Parameters.AddWithValue("@global", isGlobal);
        command.Parameters.AddWithValue("@data", data);
        return command;
    }

    private static Task SyncCheckpointTableExecute(MySqlConnection connection, IEnumerable<MySqlBatchCommand> commands, CancellationToken cancellationToken) =>
        Checkpointing.SyncCheckpointTable.ExecuteAsync(connection, commands, cancellationToken);
}
