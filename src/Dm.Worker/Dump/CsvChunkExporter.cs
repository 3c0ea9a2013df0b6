using System.Buffers;
using System.Text;
using Dm.Core.Upstream;
using MySqlConnector;

namespace Dm.Worker.Dump;

/// <summary>
/// Writes one chunk as a CSV file in <see cref="CsvFormat"/>'s dialect. As for SQL files, the server renders each
/// row (escaping, enclosing, <c>\N</c>) and the client only copies bytes: the row comes back as one binary string,
/// so text columns (converted to utf8mb4) and raw binary values land in the file byte for byte.
/// </summary>
public sealed class CsvChunkExporter(CsvFormat format, string where, DumpProgress progress)
{
    private static readonly byte[] LineEnd = Encoding.ASCII.GetBytes(CsvFormat.LineTerminator);

    public async Task ExportAsync(MySqlConnection connection, TablePlan table, ChunkPlan chunk, Stream output, CancellationToken cancellationToken)
    {
        var header = Encoding.UTF8.GetBytes(Header(table) + CsvFormat.LineTerminator);
        await output.WriteAsync(header, cancellationToken);
        await using var command = new MySqlCommand(SelectSql(table, chunk), connection);
        command.Parameters.AddWithValue("@dm_sep", format.Separator);
        command.Parameters.AddWithValue("@dm_dlm", format.Delimiter);
        command.Parameters.AddWithValue("@dm_esc_dlm", "\\" + format.Delimiter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            long rows = 0, bytes = header.Length;
            while (await reader.ReadAsync(cancellationToken))
            {
                var length = (int)reader.GetBytes(0, 0, null, 0, 0);
                if (length + LineEnd.Length > buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(length + LineEnd.Length);
                }
                reader.GetBytes(0, 0, buffer, 0, length);
                LineEnd.CopyTo(buffer, length);
                await output.WriteAsync(buffer.AsMemory(0, length + LineEnd.Length), cancellationToken);
                rows++;
                bytes += length + LineEnd.Length;
                if (rows == 4096)
                {
                    progress.AddRows(rows, bytes);
                    (rows, bytes) = (0, 0);
                }
            }
            progress.AddRows(rows, bytes);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Column names, enclosed and escaped like values.</summary>
    internal string Header(TablePlan table) => string.Join(format.Separator, table.Columns.Select(c =>
        format.Delimiter + c.Name.Replace("\\", "\\\\").Replace(format.Delimiter, "\\" + format.Delimiter)
            .Replace("\n", "\\n").Replace("\r", "\\r") + format.Delimiter));

    internal string SelectSql(TablePlan table, ChunkPlan chunk) =>
        "SELECT CAST(CONCAT_WS(@dm_sep," + string.Join(",", table.Columns.Select(Field)) + ") AS BINARY) "
        + ChunkExporter.FromWhere(table, chunk, where);

    private static string Field(ColumnPlan column)
    {
        var c = Quote.Identifier(column.Name);
        return column.Rendering switch
        {
            ColumnRendering.Number => $"IFNULL({c},'\\\\N')",
            ColumnRendering.Bit => $"IFNULL(CAST({c} AS UNSIGNED),'\\\\N')",
            // Binary values stay raw bytes (escaped bytewise); text is converted to utf8mb4 so the file has one charset.
            ColumnRendering.Hex => $"IFNULL(CONCAT(@dm_dlm,{Escaped(c)},@dm_dlm),'\\\\N')",
            _ => $"IFNULL(CONCAT(@dm_dlm,{Escaped($"CONVERT({c} USING utf8mb4)")},@dm_dlm),'\\\\N')",
        };
    }

    /// <summary>Backslash first, then the delimiter and the bytes LOAD DATA's ESCAPED BY '\\' turns back: LF, CR, NUL, ^Z.</summary>
    private static string Escaped(string value) =>
        $"REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE({value},'\\\\','\\\\\\\\'),@dm_dlm,@dm_esc_dlm),'\\n','\\\\n'),'\\r','\\\\r'),'\\0','\\\\0'),'\\Z','\\\\Z')";
}
