using System.Text.Json;
using System.Text.Json.Serialization;
using Dm.Core.Upstream;
using Dm.Worker.Sync.Planning;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Sync.Checkpointing;

/// <summary>
/// DM's <c>&lt;meta&gt;.&lt;task&gt;_onlineddl</c>: one row per shadow table of a gh-ost / pt-osc run in progress (<c>id</c> the source,
/// <c>ghost_schema</c>, <c>ghost_table</c>, <c>ddls</c>), so that a restart in the middle of an online schema change still
/// applies the DDLs recorded before it at the cut-over. <c>ddls</c> holds DM#'s JSON: the real table and the recorded DDLs.
/// </summary>
internal sealed class OnlineDdlTable(string metaSchema, string taskName, string sourceId)
{
    public string TableName => Quote.Table(metaSchema, taskName + "_onlineddl");

    public async Task EnsureAsync(MySqlConnection connection, CancellationToken cancellationToken) =>
        await DataConnections.ExecuteAsync(connection, $"""
            CREATE TABLE IF NOT EXISTS {TableName} (
              `id` VARCHAR(32) NOT NULL,
              `ghost_schema` VARCHAR(128) NOT NULL,
              `ghost_table` VARCHAR(128) NOT NULL,
              `ddls` TEXT,
              `update_time` timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
              UNIQUE KEY `uk_id_schema_table` (`id`,`ghost_schema`,`ghost_table`)
            ) DEFAULT CHARSET=utf8mb4
            """, cancellationToken);

    public async Task<OnlineDdlRecords> ReadAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        var records = new OnlineDdlRecords();
        await using var command = new MySqlCommand($"SELECT `ghost_schema`,`ghost_table`,`ddls` FROM {TableName} WHERE `id` = @id", connection);
        command.Parameters.AddWithValue("@id", sourceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var stored = JsonSerializer.Deserialize<StoredGhost>(reader.IsDBNull(2) ? "{}" : reader.GetString(2))
                         ?? throw new InvalidDataException($"{TableName}: no record for {reader.GetString(0)}.{reader.GetString(1)}");
            records.Restore(reader.GetString(0), reader.GetString(1), new OnlineDdlRecords.Ghost(stored.RealSchema, stored.RealTable,
                stored.Ddls.Select(d => new OnlineDdlRecords.RecordedDdl(d.At, d.Sql)).ToList()));
        }
        return records;
    }

    /// <summary>Writes (or deletes) the rows of the shadow tables whose records changed, then marks them clean.</summary>
    public async Task PersistAsync(MySqlConnection connection, OnlineDdlRecords records, CancellationToken cancellationToken)
    {
        if (Commands(records) is { Count: > 0 } commands) await SyncCheckpointTable.ExecuteAsync(connection, commands, cancellationToken);
        records.ClearDirty();
    }

    /// <summary>
    /// The writes (or deletes) of the rows of the shadow tables whose records changed, for a caller's transaction; the caller
    /// marks the records clean (<see cref="OnlineDdlRecords.ClearDirty"/>) once it has committed.
    /// </summary>
    public List<MySqlBatchCommand> Commands(OnlineDdlRecords records)
    {
        var commands = new List<MySqlBatchCommand>();
        foreach (var (schema, table) in records.Dirty)
        {
            var command = new MySqlBatchCommand();
            command.Parameters.AddWithValue("@id", sourceId);
            command.Parameters.AddWithValue("@s", schema);
            command.Parameters.AddWithValue("@t", table);
            if (records.Get(schema, table) is { } ghost)
            {
                command.CommandText = $"INSERT INTO {TableName} (`id`,`ghost_schema`,`ghost_table`,`ddls`) VALUES (@id,@s,@t,@d) " +
                                      "ON DUPLICATE KEY UPDATE `ddls` = VALUES(`ddls`)";
                command.Parameters.AddWithValue("@d", JsonSerializer.Serialize(new StoredGhost
                {
                    RealSchema = ghost.RealSchema, RealTable = ghost.RealTable,
                    Ddls = ghost.Ddls.Select(d => new StoredDdl { At = d.At, Sql = d.Sql }).ToList(),
                }));
            }
            else
            {
                command.CommandText = $"DELETE FROM {TableName} WHERE `id` = @id AND `ghost_schema` = @s AND `ghost_table` = @t";
            }
            commands.Add(command);
        }
        return commands;
    }

    private sealed class StoredGhost
    {
        [JsonPropertyName("schema")] public string RealSchema { get; set; } = "";
        [JsonPropertyName("table")] public string RealTable { get; set; } = "";
        [JsonPropertyName("ddls")] public List<StoredDdl> Ddls { get; set; } = [];
    }

    private sealed class StoredDdl
    {
        [JsonPropertyName("at")] public string At { get; set; } = "";
        [JsonPropertyName("sql")] public string Sql { get; set; } = "";
    }
}
