using System.Text.Json;
using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;
using Dm.Core.Upstream;
using Dm.Worker.Checkpoints;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Sync.Checkpointing;

/// <summary>
/// DM's <c>&lt;meta&gt;.&lt;task&gt;_syncer_checkpoint</c> (a global row per source: where to resume and the
/// safe-mode exit point; a row per tracked table with its structure in <c>table_info</c>) and DM#'s
/// <c>&lt;meta&gt;.&lt;task&gt;_syncer_applied</c>: one row per committed writer batch listing the upstream
/// transactions it applied, written in that batch's own target transaction. Together they make replay exact:
/// resume at the global row and skip every transaction an applied row names.
/// </summary>
public sealed class SyncCheckpointTable(string metaSchema, string taskName, string sourceId, TargetFence? fence = null)
{
    public string TableName => Quote.Table(metaSchema, taskName + "_syncer_checkpoint");
    public string AppliedTableName => Quote.Table(metaSchema, taskName + "_syncer_applied");
    public string SourceId => sourceId;

    public async Task EnsureAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        await DataConnections.ExecuteAsync(connection, "CREATE DATABASE IF NOT EXISTS " + Quote.Identifier(metaSchema), cancellationToken);
        await DataConnections.ExecuteAsync(connection, $"""
            CREATE TABLE IF NOT EXISTS {TableName} (
              `id` VARCHAR(32) NOT NULL,
              `cp_schema` VARCHAR(128) NOT NULL,
              `cp_table` VARCHAR(128) NOT NULL,
              `binlog_name` VARCHAR(128),
              `binlog_pos` INT UNSIGNED,
              `binlog_gtid` TEXT,
              `exit_safe_binlog_name` VARCHAR(128) DEFAULT '',
              `exit_safe_binlog_pos` INT UNSIGNED DEFAULT 0,
              `exit_safe_binlog_gtid` TEXT,
              `table_info` JSON NOT NULL,
              `is_global` BOOLEAN,
              `create_time` timestamp DEFAULT CURRENT_TIMESTAMP,
              `update_time` timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
              UNIQUE KEY `uk_id_schema_table` (`id`,`cp_schema`,`cp_table`)
            ) DEFAULT CHARSET=utf8mb4
            """, cancellationToken);
        await DataConnections.ExecuteAsync(connection, $"""
            CREATE TABLE IF NOT EXISTS {AppliedTableName} (
              `id` VARCHAR(32) NOT NULL,
              `batch` BIGINT NOT NULL,
              `transactions` MEDIUMTEXT NOT NULL,
              PRIMARY KEY (`id`, `batch`)
            ) DEFAULT CHARSET=utf8mb4
            """, cancellationToken);
    }

    public async Task<bool> HasGlobalAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(
            $"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = @s AND TABLE_NAME = @t", connection);
        command.Parameters.AddWithValue("@s", metaSchema);
        command.Parameters.AddWithValue("@t", taskName + "_syncer_checkpoint");
        if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken)) == 0) return false;
        return await ReadGlobalAsync(connection, cancellationToken) is not null;
    }

    public async Task<SyncCheckpoint?> ReadGlobalAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(
            $"SELECT `binlog_name`,`binlog_pos`,`binlog_gtid`,`exit_safe_binlog_name`,`exit_safe_binlog_pos`,`exit_safe_binlog_gtid` " +
            $"FROM {TableName} WHERE `id` = @id AND `is_global` = 1", connection);
        command.Parameters.AddWithValue("@id", sourceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(0)) return null;
        // A start by GTID set alone has an empty file name: the location is its GTID set.
        var position = LocationColumns.Read(reader, 0)
            ?? BinlogLocation.AtGtid(GtidSet.ParseEither(reader.IsDBNull(2) ? "" : reader.GetString(2))
                ?? throw new InvalidDataException("the global checkpoint row has neither a position nor a GTID set"));
        return new SyncCheckpoint(position, LocationColumns.Read(reader, 3));
    }

    /// <summary>The tracked structures: (upstream schema, table, CREATE TABLE).</summary>
    public async Task<List<(string Schema, string Table, string CreateSql)>> ReadTablesAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        var tables = new List<(string, string, string)>();
        await using var command = new MySqlCommand(
            $"SELECT `cp_schema`,`cp_table`,`table_info` FROM {TableName} WHERE `id` = @id AND `is_global` = 0", connection);
        command.Parameters.AddWithValue("@id", sourceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var info = JsonSerializer.Deserialize<TableInfoJson>(reader.GetString(2));
            if (info?.CreateSql is { Length: > 0 } sql) tables.Add((reader.GetString(0), reader.GetString(1), sql));
        }
        return tables;
    }

    /// <summary>Every upstream transaction (and DDL progress) a batch after the global row applied, and the batch ids.</summary>
    internal async Task<(AppliedRecords Applied, List<long> Batches)> ReadAppliedAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        var transactions = new AppliedRecords();
        var batches = new List<long>();
        await using var command = new MySqlCommand($"SELECT `batch`,`transactions` FROM {AppliedTableName} WHERE `id` = @id", connection);
        command.Parameters.AddWithValue("@id", sourceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            batches.Add(reader.GetInt64(0));
            transactions.Add(reader.GetString(1));
        }
        return (transactions, batches);
    }

    /// <summary>The row a writer batch adds inside its own transaction, naming the transactions it applied.</summary>
    internal MySqlBatchCommand AppliedCommand(long batch, IEnumerable<BinlogPosition> transactions) =>
        AppliedCommand(batch, AppliedRecords.Text(transactions), replace: false);

    /// <summary>The row a DDL keeps its progress in (replaced as its pieces are applied).</summary>
    internal MySqlBatchCommand DdlProgressCommand(long batch, BinlogPosition id, int done, bool inFlight) =>
        AppliedCommand(batch, AppliedRecords.DdlText(id, done, inFlight), replace: true);

    /// <summary>The row, written only while this binding holds the source (<see cref="Fence"/>; a refusal is <see cref="IsFenced"/>).</summary>
    private MySqlBatchCommand AppliedCommand(long batch, string text, bool replace)
    {
        var command = new MySqlBatchCommand($"{(replace ? "REPLACE" : "INSERT")} INTO {AppliedTableName} (`id`,`batch`,`transactions`) " +
            $"VALUES (@id,@batch,{Fence.Guard("@transactions")})");
        command.Parameters.AddWithValue("@id", sourceId);
        command.Parameters.AddWithValue("@batch", batch);
        command.Parameters.AddWithValue("@transactions", text);
        Fence.AddGuardParameters(command.Parameters);
        return command;
    }

    /// <summary>The fence this subtask's writes carry (none outside a cluster).</summary>
    public TargetFence Fence { get; } = fence ?? TargetFence.None;

    /// <summary>Whether a write carrying an applied row failed because the source was bound again after this binding.</summary>
    internal bool IsFenced(Exception e) => Fence.IsRefusal(e, "transactions");

    /// <summary>Writes the global row alone (a start point): see <see cref="GlobalCommand"/>.</summary>
    public async Task WriteGlobalAsync(MySqlConnection connection, SyncCheckpoint checkpoint, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, [GlobalCommand(checkpoint)], cancellationToken);

    /// <summary>Writes the first global row unless one exists (Load hands Sync its start point this way).</summary>
    public async Task WriteStartIfAbsentAsync(MySqlConnection connection, SyncCheckpoint start, CancellationToken cancellationToken)
    {
        await EnsureAsync(connection, cancellationToken);
        if (await ReadGlobalAsync(connection, cancellationToken) is not null) return;
        await WriteGlobalAsync(connection, start, cancellationToken);
    }

    /// <summary>
    /// The global row: where to resume and the safe-mode exit. Written only while this binding holds the source (its
    /// <c>table_info</c> is guarded by <see cref="Fence"/>; a refusal is <see cref="IsFencedCheckpoint"/>).
    /// </summary>
    public MySqlBatchCommand GlobalCommand(SyncCheckpoint checkpoint)
    {
        var command = new MySqlBatchCommand(
            $"INSERT INTO {TableName} (`id`,`cp_schema`,`cp_table`,`binlog_name`,`binlog_pos`,`binlog_gtid`,`exit_safe_binlog_name`," +
            $"`exit_safe_binlog_pos`,`exit_safe_binlog_gtid`,`table_info`,`is_global`) VALUES (@id,'','',@n,@p,@g,@en,@ep,@eg,{Fence.Guard("'{}'")},1) " +
            "ON DUPLICATE KEY UPDATE `binlog_name`=VALUES(`binlog_name`),`binlog_pos`=VALUES(`binlog_pos`),`binlog_gtid`=VALUES(`binlog_gtid`)," +
            "`exit_safe_binlog_name`=VALUES(`exit_safe_binlog_name`),`exit_safe_binlog_pos`=VALUES(`exit_safe_binlog_pos`)," +
            "`exit_safe_binlog_gtid`=VALUES(`exit_safe_binlog_gtid`)");
        command.Parameters.AddWithValue("@id", sourceId);
        LocationColumns.Bind(command.Parameters, "@", checkpoint.Position);
        LocationColumns.Bind(command.Parameters, "@e", checkpoint.SafeModeExit);
        Fence.AddGuardParameters(command.Parameters);
        return command;
    }

    /// <summary>Whether a write of the global row failed because the source was bound again after this binding.</summary>
    internal bool IsFencedCheckpoint(Exception e) => Fence.IsRefusal(e, "table_info");

    /// <summary>Deletes the applied rows of <paramref name="batches"/> (in statements of at most 500).</summary>
    public IEnumerable<MySqlBatchCommand> DeleteAppliedCommands(IReadOnlyCollection<long> batches)
    {
        foreach (var chunk in batches.Chunk(500))
        {
            var command = new MySqlBatchCommand($"DELETE FROM {AppliedTableName} WHERE `id` = @id AND `batch` IN ({string.Join(',', chunk)})");
            command.Parameters.AddWithValue("@id", sourceId);
            yield return command;
        }
    }

    /// <summary>A tracked table's structure at <paramref name="position"/>.</summary>
    public MySqlBatchCommand TableCommand(string schema, string table, string createSql, BinlogLocation position)
    {
        var command = new MySqlBatchCommand(
            $"INSERT INTO {TableName} (`id`,`cp_schema`,`cp_table`,`binlog_name`,`binlog_pos`,`binlog_gtid`,`exit_safe_binlog_gtid`,`table_info`,`is_global`) " +
            "VALUES (@id,@s,@t,@n,@p,@g,'',@info,0) ON DUPLICATE KEY UPDATE `binlog_name`=VALUES(`binlog_name`),`binlog_pos`=VALUES(`binlog_pos`)," +
            "`binlog_gtid`=VALUES(`binlog_gtid`),`table_info`=VALUES(`table_info`)");
        command.Parameters.AddWithValue("@id", sourceId);
        command.Parameters.AddWithValue("@s", schema);
        command.Parameters.AddWithValue("@t", table);
        LocationColumns.Bind(command.Parameters, "@", position);
        command.Parameters.AddWithValue("@info", JsonSerializer.Serialize(new TableInfoJson { CreateSql = createSql }));
        return command;
    }

    /// <summary>Forgets a tracked table.</summary>
    public MySqlBatchCommand DeleteTableCommand(string schema, string table)
    {
        var command = new MySqlBatchCommand($"DELETE FROM {TableName} WHERE `id` = @id AND `cp_schema` = @s AND `cp_table` = @t AND `is_global` = 0");
        command.Parameters.AddWithValue("@id", sourceId);
        command.Parameters.AddWithValue("@s", schema);
        command.Parameters.AddWithValue("@t", table);
        return command;
    }

    public async Task WriteTableAsync(MySqlConnection connection, string schema, string table, string createSql, BinlogLocation position,
        CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, [TableCommand(schema, table, createSql, position)], cancellationToken);

    public async Task DeleteTableAsync(MySqlConnection connection, string schema, string table, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, [DeleteTableCommand(schema, table)], cancellationToken);

    /// <summary>Runs the commands in one round trip (in autocommit, unless they begin and commit a transaction themselves).</summary>
    public static async Task ExecuteAsync(MySqlConnection connection, IEnumerable<MySqlBatchCommand> commands, CancellationToken cancellationToken)
    {
        await using var batch = new MySqlBatch(connection);
        foreach (var command in commands) batch.BatchCommands.Add(command);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed class TableInfoJson
    {
        [System.Text.Json.Serialization.JsonPropertyName("create_sql")]
        public string? CreateSql { get; set; }
    }
}

/// <summary>Where Sync resumes, and until where it must stay in safe mode (null: no obligation).</summary>
public sealed record SyncCheckpoint(BinlogLocation Position, BinlogLocation? SafeModeExit);
