using System.Collections.Concurrent;
using Dm.Core.Errors;
using Dm.Core.Upstream;
using Dm.Worker.Checkpoints;
using Dm.Worker.Dump;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Load;

/// <summary>
/// Loads one CSV chunk file with LOAD DATA LOCAL INFILE in a transaction that also writes the chunk's checkpoint
/// row, like <see cref="ChunkWriter"/> does for SQL files. LOCAL loads cannot stop on a duplicate key, so the
/// first try uses IGNORE and reads the warnings: a duplicate means "on-duplicate" decides (replace: roll back and
/// load again with REPLACE; error: roll back and fail; ignore: keep), and any other warning (a value the target
/// changed or truncated) rolls back and fails, so a CSV copy is exact or stops.
/// </summary>
public sealed class CsvChunkLoader(MySqlConnection connection, LoaderCheckpointTable checkpoint, CsvFormat format, string onDuplicateMode,
    LoadProgress progress, ConcurrentDictionary<string, bool> conflictingTables)
{
    private const int DuplicateEntry = 1062;

    public async Task LoadAsync(TablePlan table, ChunkPlan chunk, string path, CancellationToken cancellationToken)
    {
        var tableKey = table.TargetSchema + "\0" + table.TargetTable;
        var replace = onDuplicateMode is "" or "replace";
        var useReplace = replace && conflictingTables.ContainsKey(tableKey);
        var bytes = new FileInfo(path).Length;
        progress.AddPending(bytes);
        try
        {
            while (true)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteLoadAsync(table, path, useReplace, cancellationToken);
                var warnings = await ReadWarningsAsync(transaction, cancellationToken);
                var other = warnings.FirstOrDefault(w => w.Code != DuplicateEntry);
                if (other.Code != 0)
                    throw DmErrors.ErrDBExecuteFailed.New($"LOAD DATA of {path} into {Quote.Table(table.TargetSchema, table.TargetTable)} changed a value: {other.Code} {other.Message}");
                if (warnings.Count > 0 && replace)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    conflictingTables.TryAdd(tableKey, true);
                    useReplace = true;
                    continue;
                }
                if (warnings.Count > 0 && onDuplicateMode == "error")
                    throw DmErrors.ErrDBExecuteFailed.New($"LOAD DATA of {path}: {warnings[0].Code} {warnings[0].Message} (on-duplicate: error)");
                await checkpoint.RecordFinishedAsync(connection, transaction, chunk.Id, table.TargetSchema, table.TargetTable, bytes, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                break;
            }
        }
        catch
        {
            progress.AddPending(-bytes);
            throw;
        }
        progress.ChunkCommitted(bytes);
    }

    /// <summary>Runs inside the connection's open transaction (MySqlBulkLoader attaches its command to it).</summary>
    private async Task ExecuteLoadAsync(TablePlan table, string path, bool replace, CancellationToken cancellationToken)
    {
        // MySqlConnector sends a LOCAL INFILE only from a stream the caller hands over (never a file the server names).
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var loader = BulkLoader(table, replace, file);
        try
        {
            await loader.LoadAsync(cancellationToken);
        }
        catch (MySqlException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DataStatementException($"LOAD DATA LOCAL INFILE '{path}' INTO TABLE {loader.TableName}", e);
        }
    }

    /// <summary>
    /// The file is utf8mb4 text with raw bytes in binary columns (the server copies those unconverted). BIT columns
    /// go through a variable: LOAD DATA would store their decimal text as a byte string.
    /// </summary>
    internal MySqlBulkLoader BulkLoader(TablePlan table, bool replace, Stream file)
    {
        var loader = new MySqlBulkLoader(connection)
        {
            Local = true,
            SourceStream = file,
            TableName = Quote.Table(table.TargetSchema, table.TargetTable),
            CharacterSet = "utf8mb4",
            FieldTerminator = format.Separator,
            FieldQuotationCharacter = format.Delimiter[0],
            EscapeCharacter = '\\',
            LineTerminator = CsvFormat.LineTerminator,
            NumberOfLinesToSkip = 1,
            ConflictOption = replace ? MySqlBulkLoaderConflictOption.Replace : MySqlBulkLoaderConflictOption.Ignore,
            Timeout = 0,
        };
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var column = table.Columns[i];
            if (column.Rendering == ColumnRendering.Bit)
            {
                loader.Columns.Add("@dm_bit" + i);
                loader.Expressions.Add($"{Quote.Identifier(column.Name)} = CAST(@dm_bit{i} AS UNSIGNED)");
            }
            else
            {
                loader.Columns.Add(Quote.Identifier(column.Name));
            }
        }
        return loader;
    }

    private async Task<List<(int Code, string Message)>> ReadWarningsAsync(MySqlTransaction transaction, CancellationToken cancellationToken)
    {
        var warnings = new List<(int, string)>();
        await using var command = new MySqlCommand("SHOW WARNINGS", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            warnings.Add((Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture), reader.GetString(2)));
        return warnings;
    }
}
