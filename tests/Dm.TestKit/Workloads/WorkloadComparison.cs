using Dm.TestKit.DataComparison;
using MySqlConnector;

namespace Dm.TestKit.Workloads;

/// <summary>
/// Source against target over whole schemas: the same tables, for each the same rows (checksum of every column,
/// duplicates counted) and the same definition. Every difference is described — which table, which rows are
/// missing or extra (a sample, readable) — rather than stopping at the first.
/// </summary>
public static class WorkloadComparison
{
    private const int SampleRows = 5;

    public static async Task<IReadOnlyList<string>> DifferencesAsync(MySqlConnection source, MySqlConnection target,
        IReadOnlyList<string> schemas, bool compareDefinitions = true, CancellationToken cancellationToken = default)
    {
        var differences = new List<string>();
        var sourceTables = await TablesAsync(source, schemas, cancellationToken);
        var targetTables = await TablesAsync(target, schemas, cancellationToken);
        differences.AddRange(sourceTables.Except(targetTables).Select(t => $"{Name(t)}: missing in the target"));
        differences.AddRange(targetTables.Except(sourceTables).Select(t => $"{Name(t)}: in the target only"));
        foreach (var table in sourceTables.Intersect(targetTables))
        {
            if (compareDefinitions)
            {
                var expected = WithoutName(await MigrationComparer.ShowCreateAsync(source, table));
                var actual = WithoutName(await MigrationComparer.ShowCreateAsync(target, table));
                if (expected != actual) differences.Add($"{Name(table)}: definitions differ\n  source: {expected}\n  target: {actual}");
            }
            var sourceSum = await TableChecksum.ComputeAsync(source, table.Schema, table.Table);
            var targetSum = await TableChecksum.ComputeAsync(target, table.Schema, table.Table);
            if (sourceSum == targetSum) continue;
            differences.Add($"{Name(table)}: source {sourceSum}, target {targetSum}" + await RowDifferencesAsync(source, target, table, cancellationToken));
        }
        return differences;
    }

    private static async Task<List<(string Schema, string Table)>> TablesAsync(MySqlConnection connection, IReadOnlyList<string> schemas,
        CancellationToken cancellationToken)
    {
        var tables = new List<(string, string)>();
        await using var command = new MySqlCommand(
            "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND FIND_IN_SET(TABLE_SCHEMA, @schemas) " +
            "ORDER BY TABLE_SCHEMA, TABLE_NAME", connection);
        command.Parameters.AddWithValue("@schemas", string.Join(',', schemas));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) tables.Add((reader.GetString(0), reader.GetString(1)));
        return tables;
    }

    /// <summary>Rows on one side only (as multisets, so a lost or doubled duplicate shows), a few of each, readable.</summary>
    private static async Task<string> RowDifferencesAsync(MySqlConnection source, MySqlConnection target, (string Schema, string Table) table,
        CancellationToken cancellationToken)
    {
        var sourceColumns = await ColumnsAsync(source, table, cancellationToken);
        if (!sourceColumns.SequenceEqual(await ColumnsAsync(target, table, cancellationToken))) return " (columns differ; rows not compared)";
        var sourceRows = await RowsAsync(source, table, sourceColumns, cancellationToken);
        var targetRows = await RowsAsync(target, table, sourceColumns, cancellationToken);
        var missing = MultisetMinus(sourceRows, targetRows);
        var extra = MultisetMinus(targetRows, sourceRows);
        var columns = string.Join("|", sourceColumns.Select(c => c.Name));
        return $"\n  {missing.Count} row(s) missing in the target, {extra.Count} extra there; columns {columns}" +
            string.Concat(missing.Take(SampleRows).Select(r => "\n  missing: " + r)) +
            string.Concat(extra.Take(SampleRows).Select(r => "\n  extra:   " + r));
    }

    private static List<string> MultisetMinus(Dictionary<string, (int Count, string Display)> left, Dictionary<string, (int Count, string Display)> right)
    {
        var rows = new List<string>();
        foreach (var (exact, (count, display)) in left)
        {
            var surplus = count - (right.TryGetValue(exact, out var other) ? other.Count : 0);
            for (var i = 0; i < surplus; i++) rows.Add(display);
        }
        return rows;
    }

    private static async Task<List<(string Name, string Type)>> ColumnsAsync(MySqlConnection connection, (string Schema, string Table) table,
        CancellationToken cancellationToken)
    {
        var columns = new List<(string, string)>();
        await using var command = new MySqlCommand(
            "SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = @s AND TABLE_NAME = @t ORDER BY ORDINAL_POSITION", connection);
        command.Parameters.AddWithValue("@s", table.Schema);
        command.Parameters.AddWithValue("@t", table.Table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) columns.Add((reader.GetString(0), reader.GetString(1)));
        return columns;
    }

    /// <summary>Each row's exact bytes (hex of every column) with how often it occurs, and a readable rendering of it.</summary>
    private static async Task<Dictionary<string, (int Count, string Display)>> RowsAsync(MySqlConnection connection, (string Schema, string Table) table,
        List<(string Name, string Type)> columns, CancellationToken cancellationToken)
    {
        var exact = "CONCAT_WS(',', " + string.Join(", ", columns.Select(c => $"IFNULL(HEX(CAST({SqlText.Name(c.Name)} AS BINARY)), '~')")) + ")";
        var display = "CONCAT_WS('|', " + string.Join(", ", columns.Select(c => $"IFNULL(LEFT({Readable(c)}, 48), 'NULL')")) + ")";
        var rows = new Dictionary<string, (int, string)>();
        await using var command = new MySqlCommand($"SELECT {exact}, {display} FROM {SqlText.Name(table.Schema, table.Table)}", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = reader.GetString(0);
            rows[key] = rows.TryGetValue(key, out var seen) ? (seen.Item1 + 1, seen.Item2) : (1, reader.GetString(1));
        }
        return rows;
    }

    private static string Readable((string Name, string Type) column) => column.Type switch
    {
        "binary" or "varbinary" or "tinyblob" or "blob" or "mediumblob" or "longblob" or "bit" => $"HEX({SqlText.Name(column.Name)})",
        "geometry" or "point" or "linestring" or "polygon" => $"ST_AsText({SqlText.Name(column.Name)})",
        _ => $"CAST({SqlText.Name(column.Name)} AS CHAR CHARACTER SET utf8mb4)",
    };

    private static string Name((string Schema, string Table) table) => SqlText.Name(table.Schema, table.Table);

    private static string WithoutName(string createTable) => createTable[createTable.IndexOf("` (", StringComparison.Ordinal)..];
}
