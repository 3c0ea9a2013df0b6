using System.Collections.Concurrent;
using Dm.Core.Errors;
using Dm.Core.Upstream;
using Dm.Worker.Checkpoints;
using Dm.Worker.Dump;
using Dm.Worker.Errors;
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
/// <param name="extendedColumns">The task's extend columns (null when none): set on each row of the tables whose route extracts them.</param>
public sealed class CsvChunkLoader(MySqlConnection connection, LoaderCheckpointTable checkpoint, CsvFormat format, string onDuplicateMode,
    LoadProgress progress, ConcurrentDictionary<string, bool> conflictingTables, ExtendedColumns? extendedColumns = null)
{
    public async Task LoadAsync(TablePlan table, ChunkPlan chunk, string path, CancellationToken cancellationToken)
    {
        var useReplace = UseReplace(table);
        while (true)
        {
            await using var file = new CountingReadStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true), cancellationToken);
            if (await LoadOnceAsync(table, chunk, file, useReplace, path, cancellationToken))
                return;
            useReplace = true;
        }
    }

    /// <summary>
    /// Loads a chunk streamed by the exporter. A duplicate under replace mode cannot be loaded again from the same
    /// stream: the chunk is rolled back and <see cref="ChunkConflictException"/> asks for it to be exported again.
    /// </summary>
    public async Task LoadStreamAsync(TablePlan table, ChunkPlan chunk, Stream csv, CancellationToken cancellationToken)
    {
        await using var source = new CountingReadStream(csv, cancellationToken);
        if (!await LoadOnceAsync(table, chunk, source, UseReplace(table), "streamed chunk " + chunk.Id, cancellationToken))
            throw new ChunkConflictException(new InvalidOperationException($"duplicate keys in {Quote.Table(table.TargetSchema, table.TargetTable)}"));
    }

    private static string TableKey(TablePlan table) => table.TargetSchema + "\0" + table.TargetTable;

    private bool UseReplace(TablePlan table) => onDuplicateMode is "" or "replace" && conflictingTables.ContainsKey(TableKey(table));

    /// <summary>One attempt in one transaction; false when it met existing keys and must be redone with REPLACE.</summary>
    private async Task<bool> LoadOnceAsync(TablePlan table, ChunkPlan chunk, CountingReadStream source, bool useReplace, string what, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteLoadAsync(table, source, useReplace, what, cancellationToken);
        if (!source.ReachedEnd)
            throw new IOException($"LOAD DATA of {what} finished before its data ended");
        var warnings = await ReadWarningsAsync(transaction, cancellationToken);
        var other = warnings.FirstOrDefault(w => !DatabaseErrorPolicy.IsDuplicateEntry((MySqlErrorCode)w.Code));
        if (other.Code != 0)
            throw DmErrors.ErrDBExecuteFailed.New($"LOAD DATA of {what} into {Quote.Table(table.TargetSchema, table.TargetTable)} changed a value: {other.Code} {other.Message}");
        if (warnings.Count > 0 && onDuplicateMode is "" or "replace")
        {
            await transaction.RollbackAsync(cancellationToken);
            conflictingTables.TryAdd(TableKey(table), true);
            return false;
        }
        if (warnings.Count > 0 && onDuplicateMode == "error")
        {
            await transaction.RollbackAsync(cancellationToken);
            // The keys may be this very chunk's, committed by an earlier attempt cut before COMMIT's answer came back.
            if (await checkpoint.FinishedBytesAsync(connection, chunk.Id, cancellationToken) is { } done)
            {
                progress.AddPending(done);
                progress.ChunkCommitted(done);
                return true;
            }
            throw DmErrors.ErrDBExecuteFailed.New($"LOAD DATA of {what}: {warnings[0].Code} {warnings[0].Message} (on-duplicate: error)");
        }
        await checkpoint.RecordFinishedAsync(connection, transaction, chunk.Id, table.TargetSchema, table.TargetTable, source.BytesRead, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        progress.AddPending(source.BytesRead);
        progress.ChunkCommitted(source.BytesRead);
        return true;
    }

    /// <summary>Runs inside the connection's open transaction (MySqlBulkLoader attaches its command to it).</summary>
    private async Task ExecuteLoadAsync(TablePlan table, Stream source, bool replace, string what, CancellationToken cancellationToken)
    {
        // MySqlConnector sends a LOCAL INFILE only from a stream the caller hands over (never a file the server names).
        var loader = BulkLoader(table, replace, source);
        try
        {
            await loader.LoadAsync(cancellationToken);
        }
        catch (MySqlException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DataStatementException($"LOAD DATA LOCAL INFILE ({what}) INTO TABLE {loader.TableName}", e);
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
        if (extendedColumns?.For(table.SourceSchema, table.SourceTable) is { } extension)
            for (var i = 0; i < extension.Columns.Count; i++)
                loader.Expressions.Add($"{Quote.Identifier(extension.Columns[i])} = {Dm.Sql.Printing.Quoting.StringLiteral(extension.Values[i])}");
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
