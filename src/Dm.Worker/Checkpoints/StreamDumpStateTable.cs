using System.Text.Json;
using Dm.Core.Upstream;
using Dm.Worker.Dump;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Checkpoints;

/// <summary>
/// <c>&lt;meta&gt;.&lt;task&gt;_dump_state</c>: in streaming mode there is no dump dir, so the chunk plan and the
/// snapshot positions live in the target next to the loader checkpoint. The plan must survive a crash so that
/// finished chunk ids keep meaning the same key ranges.
/// </summary>
public sealed class StreamDumpStateTable(string metaSchema, string taskName, string sourceId)
{
    public string TableName => Quote.Table(metaSchema, taskName + "_dump_state");

    public async Task EnsureAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        await DataConnections.ExecuteAsync(connection, "CREATE DATABASE IF NOT EXISTS " + Quote.Identifier(metaSchema), cancellationToken);
        await DataConnections.ExecuteAsync(connection, $"""
            CREATE TABLE IF NOT EXISTS {TableName} (
              `id` varchar(32) NOT NULL,
              `binlog_name` varchar(128) NOT NULL,
              `binlog_pos` bigint unsigned NOT NULL,
              `binlog_gtid` text NOT NULL,
              `exit_binlog_name` varchar(128) NOT NULL DEFAULT '',
              `exit_binlog_pos` bigint unsigned NOT NULL DEFAULT 0,
              `exit_binlog_gtid` text NOT NULL,
              `plan` longtext NOT NULL,
              `update_time` timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
              PRIMARY KEY (`id`)
            ) DEFAULT CHARSET=utf8mb4
            """, cancellationToken);
    }

    public async Task<(DumpPlan Plan, DumpMetadata Metadata)?> ReadAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(
            $"SELECT `binlog_name`,`binlog_pos`,`binlog_gtid`,`exit_binlog_name`,`exit_binlog_pos`,`exit_binlog_gtid`,`plan` FROM {TableName} WHERE `id` = @id", connection);
        command.Parameters.AddWithValue("@id", sourceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        var position = LocationColumns.Read(reader, 0) ?? throw new InvalidDataException("the dump state row has no binlog position");
        var exit = LocationColumns.Read(reader, 3);
        var plan = JsonSerializer.Deserialize<DumpPlan>(reader.GetString(6)) ?? throw new InvalidDataException("empty dump plan");
        return (plan, new DumpMetadata(position, exit));
    }

    public async Task WriteAsync(MySqlConnection connection, DumpPlan plan, DumpMetadata metadata, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(
            $"REPLACE INTO {TableName} (`id`,`binlog_name`,`binlog_pos`,`binlog_gtid`,`exit_binlog_name`,`exit_binlog_pos`,`exit_binlog_gtid`,`plan`) " +
            "VALUES (@id,@n,@p,@g,@en,@ep,@eg,@plan)", connection);
        command.Parameters.AddWithValue("@id", sourceId);
        LocationColumns.Bind(command.Parameters, "@", metadata.Position);
        LocationColumns.Bind(command.Parameters, "@e", metadata.SafeModeExit);
        command.Parameters.AddWithValue("@plan", JsonSerializer.Serialize(plan));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
