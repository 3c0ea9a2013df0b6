using System.Buffers;
using System.Text;
using Dm.Core.Upstream;
using MySqlConnector;

namespace Dm.Worker.Dump;

/// <summary>
/// Writes one chunk as CSV in <see cref="CsvFormat"/>'s dialect. The server sends every value as raw bytes (text
/// converted to utf8mb4, numbers as their decimal text, binary values untouched) and the client escapes them
/// bytewise: cheaper on the source server than rendering rows in SQL, and no value is ever decoded to a .NET string.
/// </summary>
public sealed class CsvChunkExporter
{
    private static readonly byte[] LineEnd = Encoding.ASCII.GetBytes(CsvFormat.LineTerminator);
    private static readonly byte[] NullValue = Encoding.ASCII.GetBytes(CsvFormat.NullValue);
    private const int ProgressEveryRows = 4096;

    private readonly CsvFormat _format;
    private readonly string _where;
    private readonly DumpProgress _progress;
    private readonly byte _delimiter;
    private readonly byte[] _separator;
    private readonly SearchValues<byte> _special;

    public CsvChunkExporter(CsvFormat format, string where, DumpProgress progress)
    {
        (_format, _where, _progress) = (format, where, progress);
        _delimiter = (byte)format.Delimiter[0];
        _separator = Encoding.UTF8.GetBytes(format.Separator);
        // What LOAD DATA's ESCAPED BY '\\' turns back: the escape itself, the delimiter, LF, CR, NUL and ^Z.
        _special = SearchValues.Create([(byte)'\\', _delimiter, (byte)'\n', (byte)'\r', 0, 0x1A]);
    }

    public async Task ExportAsync(MySqlConnection connection, TablePlan table, ChunkPlan chunk, Stream output, CancellationToken cancellationToken)
    {
        var header = Encoding.UTF8.GetBytes(Header(table) + CsvFormat.LineTerminator);
        await output.WriteAsync(header, cancellationToken);
        await using var command = new MySqlCommand(SelectSql(table, chunk), connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = table.Columns;
        var bare = columns.Select(c => c.Rendering is ColumnRendering.Number or ColumnRendering.Bit).ToArray();
        var value = ArrayPool<byte>.Shared.Rent(1 << 12);
        var line = ArrayPool<byte>.Shared.Rent(1 << 16);
        var used = 0;
        long rows = 0, bytes = header.Length;
        try
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                for (var i = 0; i < columns.Count; i++)
                {
                    if (i > 0) Append(ref line, ref used, _separator);
                    if (reader.IsDBNull(i))
                    {
                        Append(ref line, ref used, NullValue);
                        continue;
                    }
                    // One call for values that fit the scratch buffer; a second only for bigger ones.
                    var length = (int)reader.GetBytes(i, 0, value, 0, value.Length);
                    if (length == value.Length && (length = (int)reader.GetBytes(i, 0, null, 0, 0)) > value.Length)
                    {
                        ArrayPool<byte>.Shared.Return(value);
                        value = ArrayPool<byte>.Shared.Rent(length);
                        reader.GetBytes(i, 0, value, 0, length);
                    }
                    if (bare[i])
                        Append(ref line, ref used, value.AsSpan(0, length));
                    else
                        AppendEnclosed(ref line, ref used, value.AsSpan(0, length));
                }
                Append(ref line, ref used, LineEnd);
                rows++;
                if (used >= 1 << 15)
                {
                    await output.WriteAsync(line.AsMemory(0, used), cancellationToken);
                    bytes += used;
                    used = 0;
                }
                if (rows == ProgressEveryRows)
                {
                    _progress.AddRows(rows, bytes);
                    (rows, bytes) = (0, 0);
                }
            }
            await output.WriteAsync(line.AsMemory(0, used), cancellationToken);
            _progress.AddRows(rows, bytes + used);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(value);
            ArrayPool<byte>.Shared.Return(line);
        }
    }

    private static void Append(ref byte[] buffer, ref int used, ReadOnlySpan<byte> bytes)
    {
        Reserve(ref buffer, used, bytes.Length);
        bytes.CopyTo(buffer.AsSpan(used));
        used += bytes.Length;
    }

    /// <summary>Delimiter, the value with each special byte preceded by a backslash (LF as \n, CR as \r, NUL as \0, ^Z as \Z), delimiter.</summary>
    private void AppendEnclosed(ref byte[] buffer, ref int used, ReadOnlySpan<byte> value)
    {
        Reserve(ref buffer, used, value.Length * 2 + 2);
        var dest = buffer.AsSpan();
        dest[used++] = _delimiter;
        while (true)
        {
            var i = value.IndexOfAny(_special);
            if (i < 0)
            {
                value.CopyTo(dest[used..]);
                used += value.Length;
                break;
            }
            value[..i].CopyTo(dest[used..]);
            used += i;
            dest[used++] = (byte)'\\';
            dest[used++] = value[i] switch { 0 => (byte)'0', (byte)'\n' => (byte)'n', (byte)'\r' => (byte)'r', 0x1A => (byte)'Z', var b => b };
            value = value[(i + 1)..];
        }
        dest[used++] = _delimiter;
    }

    private static void Reserve(ref byte[] buffer, int used, int more)
    {
        if (used + more <= buffer.Length) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, used + more));
        buffer.AsSpan(0, used).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = bigger;
    }

    /// <summary>Column names, enclosed and escaped like values.</summary>
    internal string Header(TablePlan table) => string.Join(_format.Separator, table.Columns.Select(c =>
        _format.Delimiter + c.Name.Replace("\\", "\\\\").Replace(_format.Delimiter, "\\" + _format.Delimiter)
            .Replace("\n", "\\n").Replace("\r", "\\r") + _format.Delimiter));

    /// <summary>Every value as a binary string, so the client reads its bytes as they are.</summary>
    internal string SelectSql(TablePlan table, ChunkPlan chunk) =>
        "SELECT " + string.Join(",", table.Columns.Select(Field)) + " " + ChunkExporter.FromWhere(table, chunk, _where);

    private static string Field(ColumnPlan column)
    {
        var c = Quote.Identifier(column.Name);
        return column.Rendering switch
        {
            ColumnRendering.Number or ColumnRendering.Hex => $"CAST({c} AS BINARY)",
            ColumnRendering.Bit => $"CAST(CAST({c} AS UNSIGNED) AS BINARY)",
            // One charset in the file: text of any charset (and temporal, JSON, float text) as utf8mb4 bytes.
            _ => $"CAST(CONVERT({c} USING utf8mb4) AS BINARY)",
        };
    }
}
