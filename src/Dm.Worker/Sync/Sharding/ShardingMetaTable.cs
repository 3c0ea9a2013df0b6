using System.Text.Json;
using Dm.Binlog.Replication;
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

    /// <summary>
    /// DM#'s row beside DM's: per target, the DDLs its group resolved while another group kept the checkpoint at
    /// <paramref name="pin"/> (where the group first met each). A run that starts again at that pin meets them again and
    /// takes them as resolved instead of opening their locks anew. Rewritten with every resolution; none once nothing pins.
    /// </summary>
    public async Task SaveResolvedAsync(MySqlConnection connection, BinlogPosition? pin,
        IReadOnlyDictionary<(string Schema, string Table), List<BinlogPosition>> resolved, CancellationToken cancellationToken)
    {
        var delete = new MySqlBatchCommand($"DELETE FROM {TableName} WHERE `source_id` = @source AND `source_table_id` = @resolved");
        delete.Parameters.AddWithValue("@source", sourceId);
        delete.Parameters.AddWithValue("@resolved", ResolvedRow);
        var commands = new List<MySqlBatchCommand> { delete };
        if (pin is { } at)
            foreach (var (target, firsts) in resolved)
                commands.Add(Row(target, ResolvedRow, isGlobal: true, JsonSerializer.Serialize(new ResolvedData(
                    target.Schema, target.Table, Of(at), [.. firsts.Select(Of)]), Snake)));
        await SyncCheckpointTableExecute(connection, commands, cancellationToken);
    }

    /// <summary>What <see cref="SaveResolvedAsync"/> kept: the pin it was written at, and the resolved DDLs by target.</summary>
    public async Task<(BinlogPosition? Pin, Dictionary<(string Schema, string Table), List<BinlogPosition>> Resolved)> ReadResolvedAsync(
        MySqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(
            $"SELECT `data` FROM {TableName} WHERE `source_id` = @source AND `source_table_id` = @resolved", connection);
        command.Parameters.AddWithValue("@source", sourceId);
        command.Parameters.AddWithValue("@resolved", ResolvedRow);
        BinlogPosition? pin = null;
        var resolved = new Dictionary<(string Schema, string Table), List<BinlogPosition>>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var data = JsonSerializer.Deserialize<ResolvedData>(reader.GetString(0), Snake)!;
            var at = new BinlogPosition(data.Pin.File, data.Pin.Pos);
            // Rows of one save share their pin; rows of different pins cannot all be right: none is trusted.
            if (pin is { } other && other != at) return (null, []);
            pin = at;
            resolved[(data.Schema, data.Table)] = [.. data.Resolved.Select(r => new BinlogPosition(r.File, r.Pos))];
        }
        return (pin, resolved);
    }

    /// <summary>
    /// DM#'s row of the DDLs of <paramref name="target"/>'s last resolution on this source (executed or skipped), written in
    /// the transaction that moves the checkpoint past them: a run that starts again after a kill -9 that came before the
    /// master heard of it reports it done again (<see cref="ReadDoneAsync"/>); without it the lock would wait for a report
    /// that never comes. Replaced by the group's next resolution.
    /// </summary>
    public IReadOnlyCollection<MySqlBatchCommand> DoneCommands((string Schema, string Table) target, IEnumerable<IReadOnlyList<string>> ddls)
    {
        var delete = new MySqlBatchCommand(
            $"DELETE FROM {TableName} WHERE `source_id` = @source AND `target_table_id` = @target AND `source_table_id` = @done");
        delete.Parameters.AddWithValue("@source", sourceId);
        delete.Parameters.AddWithValue("@target", Id(target));
        delete.Parameters.AddWithValue("@done", DoneRow);
        return [delete, Row(target, DoneRow, isGlobal: true, JsonSerializer.Serialize(new DoneData(target.Schema, target.Table, [.. ddls.Select(d => d.ToList())]), Snake))];
    }

    /// <summary>What <see cref="DoneCommands"/> kept: the last resolved DDLs of each target, in the order they were resolved.</summary>
    public async Task<List<((string Schema, string Table) Target, List<string> Ddls)>> ReadDoneAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(
            $"SELECT `data` FROM {TableName} WHERE `source_id` = @source AND `source_table_id` = @done", connection);
        command.Parameters.AddWithValue("@source", sourceId);
        command.Parameters.AddWithValue("@done", DoneRow);
        var done = new List<((string Schema, string Table) Target, List<string> Ddls)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var data = JsonSerializer.Deserialize<DoneData>(reader.GetString(0), Snake)!;
            done.AddRange(data.Ddls.Select(d => ((data.Schema, data.Table), d)));
        }
        return done;
    }

    private const string ResolvedRow = "#resolved";

    private const string DoneRow = "#done";

    private sealed record DoneData(string Schema, string Table, List<List<string>> Ddls);

    private static readonly JsonSerializerOptions Snake = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private sealed record Position(string File, long Pos);

    private sealed record ResolvedData(string Schema, string Table, Position Pin, List<Position> Resolved);

    private static Position Of(BinlogPosition position) => new(position.FileName, position.Position);

    private MySqlBatchCommand Delete((string Schema, string Table) target)
    {
        // The group's rows, not DM#'s rows of what the group resolved (SaveResolvedAsync, DoneCommands keep those).
        var command = new MySqlBatchCommand(
            $"DELETE FROM {TableName} WHERE `source_id` = @source AND `target_table_id` = @target AND `source_table_id` NOT IN (@resolved, @done)");
        command.Parameters.AddWithValue("@source", sourceId);
        command.Parameters.AddWithValue("@target", Id(target));
        command.Parameters.AddWithValue("@resolved", ResolvedRow);
        command.Parameters.AddWithValue("@done", DoneRow);
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
