using System.Globalization;
using System.Numerics;
using Dm.Core.Rules;
using Dm.Core.Upstream;
using MySqlConnector;

namespace Dm.Worker.Dump;

/// <summary>
/// Reads each table's columns, key and CREATE TABLE inside the snapshot, routes its name and splits it into
/// key ranges: an integer primary key (or unique NOT NULL key) of one column is cut into about
/// <c>chunkRows</c>-row ranges between its MIN and MAX; other tables are one chunk. Chunk ids are also data file
/// names, ending in <paramref name="fileExtension"/> (sql or csv).
/// </summary>
public sealed class TablePlanner(MySqlConnection snapshot, TableRouter router, long chunkRows, string fileExtension = "sql")
{
    private static readonly HashSet<string> IntegerTypes = ["tinyint", "smallint", "mediumint", "int", "bigint"];
    private static readonly HashSet<string> NumberTypes = ["tinyint", "smallint", "mediumint", "int", "bigint", "decimal"];
    private static readonly HashSet<string> HexTypes =
    [
        "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob",
        "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection",
    ];

    public async Task<DumpPlan> PlanAsync(IReadOnlyList<(string Schema, string Table)> tables, CancellationToken cancellationToken)
    {
        var plans = new List<TablePlan>();
        foreach (var (schema, table) in tables)
            plans.Add(await PlanTableAsync(schema, table, cancellationToken));
        return new DumpPlan(plans);
    }

    private async Task<TablePlan> PlanTableAsync(string schema, string table, CancellationToken cancellationToken)
    {
        var (targetSchema, targetTable) = router.Route(schema, table);
        var columns = new List<ColumnPlan>();
        var types = new Dictionary<string, (string Type, bool Nullable)>(StringComparer.OrdinalIgnoreCase);
        await using (var command = new MySqlCommand(
            "SELECT COLUMN_NAME, DATA_TYPE, IS_NULLABLE, EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = @s AND TABLE_NAME = @t ORDER BY ORDINAL_POSITION", snapshot))
        {
            command.Parameters.AddWithValue("@s", schema);
            command.Parameters.AddWithValue("@t", table);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var name = reader.GetString(0);
                var type = reader.GetString(1).ToLowerInvariant();
                types[name] = (type, reader.GetString(2) == "YES");
                // Generated columns are computed by the target; inserting them is an error.
                if (reader.GetString(3).Contains("GENERATED", StringComparison.OrdinalIgnoreCase))
                    continue;
                columns.Add(new ColumnPlan(name, Render(type)));
            }
        }
        var splitColumn = await FindSplitColumnAsync(schema, table, types, cancellationToken);
        var createTable = RouteCreateTable(await ShowCreateTableAsync(schema, table, cancellationToken), targetTable);
        var estimatedRows = await EstimateRowsAsync(schema, table, cancellationToken);
        var chunks = splitColumn is null
            ? [new ChunkPlan(ChunkId(schema, table, 0, fileExtension), 0, null, null)]
            : await SplitAsync(schema, table, splitColumn, estimatedRows, cancellationToken);
        return new TablePlan(schema, table, targetSchema, targetTable, createTable, columns, splitColumn, chunks, estimatedRows);
    }

    private static ColumnRendering Render(string type) =>
        type == "bit" ? ColumnRendering.Bit
        : HexTypes.Contains(type) ? ColumnRendering.Hex
        : NumberTypes.Contains(type) ? ColumnRendering.Number
        : ColumnRendering.Quoted;

    private async Task<string?> FindSplitColumnAsync(string schema, string table,
        Dictionary<string, (string Type, bool Nullable)> types, CancellationToken cancellationToken)
    {
        var keys = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await using (var command = new MySqlCommand(
            "SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = @s AND TABLE_NAME = @t AND NON_UNIQUE = 0 ORDER BY INDEX_NAME, SEQ_IN_INDEX", snapshot))
        {
            command.Parameters.AddWithValue("@s", schema);
            command.Parameters.AddWithValue("@t", table);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var index = reader.GetString(0);
                if (!keys.TryGetValue(index, out var cols))
                    keys[index] = cols = [];
                cols.Add(reader.GetString(1));
            }
        }
        bool Usable(List<string> cols) => cols.Count == 1 && types.TryGetValue(cols[0], out var t) && IntegerTypes.Contains(t.Type) && !t.Nullable;
        if (keys.TryGetValue("PRIMARY", out var primary) && Usable(primary))
            return primary[0];
        return keys.Values.FirstOrDefault(Usable)?[0];
    }

    private async Task<string> ShowCreateTableAsync(string schema, string table, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand("SHOW CREATE TABLE " + Quote.Table(schema, table), snapshot);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetString(1);
    }

    /// <summary>
    /// Replaces the table name after <c>CREATE TABLE</c> (as SHOW CREATE TABLE gives it, or as this method wrote it)
    /// with the routed one and adds IF NOT EXISTS (shards may share a target).
    /// </summary>
    internal static string RouteCreateTable(string createTable, string targetTable)
    {
        const string prefix = "CREATE TABLE `";
        const string routedPrefix = "CREATE TABLE IF NOT EXISTS `";
        var start = createTable.StartsWith(prefix, StringComparison.Ordinal) ? prefix.Length
            : createTable.StartsWith(routedPrefix, StringComparison.Ordinal) ? routedPrefix.Length
            : throw new InvalidDataException("unexpected SHOW CREATE TABLE output: " + createTable[..Math.Min(60, createTable.Length)]);
        var i = start;
        while (i < createTable.Length)
        {
            if (createTable[i] == '`')
            {
                if (i + 1 < createTable.Length && createTable[i + 1] == '`') { i += 2; continue; }
                break;
            }
            i++;
        }
        return "CREATE TABLE IF NOT EXISTS " + Quote.Identifier(targetTable) + createTable[(i + 1)..];
    }

    private async Task<long> EstimateRowsAsync(string schema, string table, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(
            "SELECT IFNULL(TABLE_ROWS, 0) FROM information_schema.TABLES WHERE TABLE_SCHEMA = @s AND TABLE_NAME = @t", snapshot);
        command.Parameters.AddWithValue("@s", schema);
        command.Parameters.AddWithValue("@t", table);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private async Task<IReadOnlyList<ChunkPlan>> SplitAsync(string schema, string table, string column, long estimatedRows, CancellationToken cancellationToken)
    {
        var single = new[] { new ChunkPlan(ChunkId(schema, table, 0, fileExtension), 0, null, null) };
        if (estimatedRows <= chunkRows)
            return single;
        var key = Quote.Identifier(column);
        await using var command = new MySqlCommand($"SELECT CAST(MIN({key}) AS CHAR), CAST(MAX({key}) AS CHAR) FROM {Quote.Table(schema, table)}", snapshot);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(0))
            return single;
        var min = BigInteger.Parse(reader.GetString(0), CultureInfo.InvariantCulture);
        var max = BigInteger.Parse(reader.GetString(1), CultureInfo.InvariantCulture);
        var count = (int)Math.Min(100_000, (estimatedRows + chunkRows - 1) / chunkRows);
        var step = (max - min + 1) / count;
        if (step < 1)
            return single;
        // The first chunk has no lower bound and the last no upper bound, so rows inserted beyond the
        // planned MIN/MAX (a later snapshot on resume) are still covered.
        var chunks = new List<ChunkPlan>();
        for (var i = 0; i < count; i++)
        {
            var lower = i == 0 ? null : (min + step * i).ToString(CultureInfo.InvariantCulture);
            var upper = i == count - 1 ? null : (min + step * (i + 1)).ToString(CultureInfo.InvariantCulture);
            chunks.Add(new ChunkPlan(ChunkId(schema, table, i, fileExtension), i, lower, upper));
        }
        return chunks;
    }

    /// <summary>Also the data file name: file-safe names (percent-encoded), unique per source table and index.</summary>
    internal static string ChunkId(string schema, string table, int index, string extension) =>
        $"{DumpFileNames.Encode(schema)}.{DumpFileNames.Encode(table)}.{index:D6}.{extension}";
}
