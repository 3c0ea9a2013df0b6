using MySqlConnector;
using Dm.Sql.Tracking;

namespace Dm.Sql.Tests;

/// <summary>Reads what the server says about a table (information_schema) and compares a tracked table with it.</summary>
public static class ServerSchema
{
    public sealed record ServerColumn(string Name, int Ordinal, string ColumnType, bool Nullable, string? Charset, bool Generated, string? Default = null);

    public sealed record ServerIndexColumn(string Index, bool Unique, int Seq, string Column);

    public static async Task<List<string>> BaseTablesAsync(MySqlConnection connection, string schema)
    {
        var result = new List<string>();
        await using var command = new MySqlCommand(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = @s AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') ORDER BY TABLE_NAME", connection);
        command.Parameters.AddWithValue("@s", schema);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) result.Add(reader.GetString(0));
        return result;
    }

    public static async Task<string> ShowCreateTableAsync(MySqlConnection connection, string schema, string table)
    {
        await using var command = new MySqlCommand($"SHOW CREATE TABLE {Printing.Quoting.Table(schema, table)}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return reader.GetString(1);
    }

    public static async Task<List<ServerColumn>> ColumnsAsync(MySqlConnection connection, string schema, string table)
    {
        var result = new List<ServerColumn>();
        await using var command = new MySqlCommand(
            "SELECT COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, IS_NULLABLE, CHARACTER_SET_NAME, IS_GENERATED, EXTRA, COLUMN_DEFAULT " +
            "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = @s AND TABLE_NAME = @t ORDER BY ORDINAL_POSITION", connection);
        command.Parameters.AddWithValue("@s", schema);
        command.Parameters.AddWithValue("@t", table);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var extra = reader.GetString(6);
            // implicit system-versioning row_start/row_end: SHOW CREATE TABLE does not list them
            if ((extra.Contains("ROW START", StringComparison.OrdinalIgnoreCase) || extra.Contains("ROW END", StringComparison.OrdinalIgnoreCase))
                && reader.GetString(0) is "row_start" or "row_end") continue;
            result.Add(new ServerColumn(reader.GetString(0), result.Count, reader.GetString(2), reader.GetString(3) == "YES",
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5) == "ALWAYS", reader.IsDBNull(7) ? null : reader.GetString(7)));
        }
        return result;
    }

    public static async Task<List<ServerIndexColumn>> IndexColumnsAsync(MySqlConnection connection, string schema, string table)
    {
        var result = new List<ServerIndexColumn>();
        await using var command = new MySqlCommand(
            "SELECT INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME FROM information_schema.STATISTICS " +
            "WHERE TABLE_SCHEMA = @s AND TABLE_NAME = @t ORDER BY INDEX_NAME, SEQ_IN_INDEX", connection);
        command.Parameters.AddWithValue("@s", schema);
        command.Parameters.AddWithValue("@t", table);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            result.Add(new ServerIndexColumn(reader.GetString(0), Convert.ToInt32(reader.GetValue(1)) == 0, Convert.ToInt32(reader.GetValue(2)), reader.GetString(3)));
        return result;
    }

    /// <summary>Differences between the tracker's view of a table and the server's, one line each (empty when equal).</summary>
    /// <param name="compareDefaults">Defaults compare as text, which only matches when the tracker read the server's own SHOW CREATE TABLE.</param>
    public static List<string> Compare(TableInfo? tracked, List<ServerColumn> columns, List<ServerIndexColumn> indexes, bool compareCharsets = true, bool compareDefaults = false)
    {
        var problems = new List<string>();
        if (tracked == null)
        {
            problems.Add("table not tracked");
            return problems;
        }
        var trackedColumns = tracked.Columns.Select(c =>
            new ServerColumn(c.Name, c.Ordinal, c.ColumnType, c.Nullable, compareCharsets ? NormalizeCharset(c.Charset) : null, c.IsGenerated,
                compareDefaults && !IsBinary(c.ColumnType) ? c.Default : null)).ToList();
        var serverColumns = columns.Select(c => c with
        {
            Charset = compareCharsets ? NormalizeCharset(c.Charset) : null,
            // binary defaults are raw bytes in SHOW CREATE TABLE but transcoded in information_schema
            Default = compareDefaults && !c.Generated && !IsBinary(c.ColumnType) ? c.Default : null,
        }).ToList();
        if (!trackedColumns.SequenceEqual(serverColumns))
            problems.Add("columns differ:\n    tracker: " + string.Join(", ", trackedColumns) + "\n    server:  " + string.Join(", ", serverColumns));

        var trackedIndexes = tracked.Indexes
            .SelectMany(i => i.Columns.Select((c, k) => new ServerIndexColumn(i.Name, i.Kind is Ast.IndexKind.Primary or Ast.IndexKind.Unique, k + 1, c ?? "")))
            .OrderBy(i => i.Index, StringComparer.Ordinal).ThenBy(i => i.Seq).ToList();
        var serverIndexes = indexes.OrderBy(i => i.Index, StringComparer.Ordinal).ThenBy(i => i.Seq).ToList();
        if (!trackedIndexes.SequenceEqual(serverIndexes, IndexComparer.Instance))
            problems.Add("indexes differ:\n    tracker: " + string.Join(", ", trackedIndexes) + "\n    server:  " + string.Join(", ", serverIndexes));
        return problems;
    }

    private static bool IsBinary(string columnType) => columnType.Contains("binary", StringComparison.Ordinal) || columnType.Contains("blob", StringComparison.Ordinal);

    private static string? NormalizeCharset(string? charset) => charset is "utf8" ? "utf8mb3" : charset;

    private sealed class IndexComparer : IEqualityComparer<ServerIndexColumn>
    {
        public static readonly IndexComparer Instance = new();

        public bool Equals(ServerIndexColumn? x, ServerIndexColumn? y) =>
            x != null && y != null && string.Equals(x.Index, y.Index, StringComparison.OrdinalIgnoreCase) && x.Unique == y.Unique && x.Seq == y.Seq &&
            string.Equals(x.Column, y.Column, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode(ServerIndexColumn obj) => obj.Seq;
    }
}
