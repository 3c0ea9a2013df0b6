using System.Runtime.CompilerServices;
using System.Text;
using Dm.Core.Upstream;
using MySqlConnector;

namespace Dm.Worker.Dump;

/// <summary>
/// Reads one chunk inside the snapshot and yields INSERT statement bodies (<c>`db`.`t` (cols) VALUES (...),(...)</c>,
/// without the verb, so the loader picks INSERT / REPLACE / INSERT IGNORE). The server renders every row as
/// literal text (QUOTE, X'hex', numbers), so the client only concatenates.
/// </summary>
public sealed class ChunkExporter(int statementSize, string where, DumpProgress progress)
{
    public const int DefaultStatementSize = 1_000_000;

    public async IAsyncEnumerable<string> ExportAsync(MySqlConnection connection, TablePlan table, ChunkPlan chunk,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prefix = Quote.Table(table.TargetSchema, table.TargetTable)
            + " (" + string.Join(",", table.Columns.Select(c => Quote.Identifier(c.Name))) + ") VALUES ";
        await using var command = new MySqlCommand(SelectSql(table, chunk), connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var sb = new StringBuilder(Math.Min(statementSize, 1 << 20) + 1024);
        long rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (sb.Length == 0)
                sb.Append(prefix);
            else
                sb.Append(',');
            sb.Append('(').Append(reader.GetString(0)).Append(')');
            rows++;
            if (sb.Length >= statementSize)
            {
                progress.AddRows(rows, sb.Length);
                rows = 0;
                yield return sb.ToString();
                sb.Clear();
            }
        }
        if (sb.Length > 0)
        {
            progress.AddRows(rows, sb.Length);
            yield return sb.ToString();
        }
    }

    internal string SelectSql(TablePlan table, ChunkPlan chunk) =>
        "SELECT CONCAT_WS(','," + string.Join(",", table.Columns.Select(Literal)) + ") " + FromWhere(table, chunk, where);

    /// <summary>The FROM and WHERE of a chunk's query: its key range and the task's <c>where</c>.</summary>
    internal static string FromWhere(TablePlan table, ChunkPlan chunk, string where)
    {
        var conditions = new List<string>();
        if (table.SplitColumn is { } key)
        {
            // Bounds are integers we computed ourselves, never user text.
            if (chunk.Lower is { } lower) conditions.Add($"{Quote.Identifier(key)} >= {lower}");
            if (chunk.Upper is { } upper) conditions.Add($"{Quote.Identifier(key)} < {upper}");
        }
        if (where.Length > 0)
            conditions.Add("(" + where + ")");
        var from = "FROM " + Quote.Table(table.SourceSchema, table.SourceTable);
        return conditions.Count == 0 ? from : from + " WHERE " + string.Join(" AND ", conditions);
    }

    private static string Literal(ColumnPlan column)
    {
        var c = Quote.Identifier(column.Name);
        return column.Rendering switch
        {
            ColumnRendering.Number => $"IFNULL({c},'NULL')",
            ColumnRendering.Hex => $"IFNULL(CONCAT('X''',HEX({c}),''''),'NULL')",
            ColumnRendering.Bit => $"IFNULL(CAST({c} AS UNSIGNED),'NULL')",
            // CONVERT gives every column the same collation, so CONCAT_WS never hits "illegal mix of collations".
            // NULL is tested first: MariaDB's QUOTE(NULL) on a ucs2/utf16 column returns ASCII "NULL" labelled with the
            // column's charset, which CONVERT turns into two CJK characters.
            _ => $"IF({c} IS NULL, 'NULL', CONVERT(QUOTE({c}) USING utf8mb4))",
        };
    }
}
