using System.IO.Pipelines;
using System.Threading.Channels;
using Dm.Worker.Checkpoints;
using Dm.Worker.Dump;
using Dm.Worker.Load;
using MySqlConnector;

namespace Dm.Worker.Units;

/// <summary>
/// Dump and Load in one pass, no files: <c>threads</c> exporters read chunks inside one snapshot and hand each
/// chunk's statements through a small bounded channel to one of <c>pool_size</c> writers, which applies the whole
/// chunk and its checkpoint row in one target transaction. The plan and snapshot position are stored in the
/// target (<see cref="StreamDumpStateTable"/>), so a restart (pause, crash, another worker) skips finished
/// chunks and exports only the rest. Shared by the Dump and Load units of one subtask; running it again after it
/// finished returns at once.
/// When the target accepts LOAD DATA LOCAL INFILE, chunks travel as CSV bytes through a pipe into LOAD DATA
/// (<see cref="CsvChunkLoader"/>): the client only copies bytes and the target skips SQL parsing; otherwise
/// they travel as INSERT statements (and always with the worker's <c>stream-csv</c> off). Tables the copy creates get
/// their plain secondary indexes only after their rows (<see cref="DeferredIndexRestorer"/>; not with <c>defer-indexes</c> off).
/// </summary>
public sealed class StreamingCopy(FullCopyContext context)
{
    private const int StatementsInFlight = 4;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _conflictingTables = new(StringComparer.Ordinal);
    // The task's extend columns (its router's regexes compiled once), shared by every writer as LoadUnit shares them.
    private readonly ExtendedColumns? _extended = ExtendedColumns.Of(context.Config);

    public DumpProgress DumpProgress { get; } = new();
    public LoadProgress LoadProgress { get; } = new();
    public DumpMetadata? Metadata { get; private set; }

    /// <summary>One chunk on its way: INSERT statement bodies, or CSV bytes when <see cref="Csv"/> is set.</summary>
    private sealed record Transfer(TablePlan Table, ChunkPlan Chunk, Channel<string> Statements, Pipe? Csv);

    private const int CsvPipeBytes = 4 << 20;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var settings = DumpSettings.From(context);
        var verb = OnDuplicate.Verb(LoadUnit.OnDuplicateMode(context.Config.Loader));
        var checkpoint = new LoaderCheckpointTable(context.Config.MetaSchema, context.TaskName, context.SourceId, context.Fence);
        var state = new StreamDumpStateTable(context.Config.MetaSchema, context.TaskName, context.SourceId);
        await using var target = await DataConnections.OpenAsync(context.Target, cancellationToken);
        await checkpoint.EnsureAsync(target, cancellationToken);
        await checkpoint.Fence.ClaimAsync(target, cancellationToken);
        await state.EnsureAsync(target, cancellationToken);
        var stored = await state.ReadAsync(target, cancellationToken);
        var finished = await checkpoint.ReadFinishedAsync(target, cancellationToken);
        if (stored is { } done && done.Plan.AllChunks().All(c => finished.ContainsKey(c.Chunk.Id)))
        {
            // Every row is in; a run that stopped before putting deferred indexes back finishes that now.
            await DeferredIndexRestorer.RestoreAsync(context.Target, done.Plan, Math.Max(1, context.Config.Loader.PoolSize), cancellationToken);
            Metadata = done.Metadata;
            ShowMeta(done.Metadata);
            LoadProgress.Start(finished.Values.Sum(), finished.Values.Sum());
            LoadProgress.Finish();
            DumpProgress.Start(done.Plan.Tables.Count, done.Plan.Tables.Sum(t => t.EstimatedRows), done.Plan.Tables.Count);
            DumpProgress.Finish();
            return;
        }

        IReadOnlyList<(string, string)> lockList = [];
        if (settings.Consistency == ConsistencyMode.Lock)
        {
            await using var control = await DataConnections.OpenAsync(context.Source, cancellationToken);
            lockList = await TableLister.ListAsync(control, settings.Filter, cancellationToken);
        }
        await using var snapshot = await SnapshotSession.OpenAsync(context.Source, settings.Threads, settings.Consistency, lockList, cancellationToken);
        DumpPlan plan;
        DumpMetadata metadata;
        if (stored is { } previous && finished.Count > 0)
        {
            // Chunks already in the target came from the stored plan's snapshot: keep the plan so their ids keep
            // their key ranges, and only continue when mixing snapshots is exact (see DumpSettings.MayMixSnapshots).
            if (!DumpSettings.MayMixSnapshots(context, previous.Metadata.Position, snapshot.Position))
                throw Dm.Core.Errors.DmErrors.ErrLoadTaskCheckPointNotMatch.New();
            plan = previous.Plan;
            metadata = previous.Metadata.Position == snapshot.Position ? previous.Metadata
                : previous.Metadata with { SafeModeExit = snapshot.Position };
        }
        else
        {
            // Nothing loaded yet: plan afresh from this snapshot (tables may have appeared since an earlier try).
            var tables = await TableLister.ListAsync(snapshot.Connections[0], settings.Filter, cancellationToken);
            plan = await new TablePlanner(snapshot.Connections[0], settings.Router, settings.ChunkRows).PlanAsync(tables, cancellationToken);
            plan = await DeferredIndexRestorer.ChooseAsync(target, plan, stored?.Plan, context.DeferIndexes, cancellationToken);
            metadata = new DumpMetadata(snapshot.Position, null);
        }
        await state.WriteAsync(target, plan, metadata, cancellationToken);
        ShowMeta(metadata);
        await TargetSchemaCreator.CreateAsync(target, plan, cancellationToken);

        var queue = new ChunkQueue(plan, finished.Keys.ToHashSet());
        var finishedBytes = finished.Values.Sum();
        DumpProgress.Start(plan.Tables.Count, plan.Tables.Sum(t => t.EstimatedRows), queue.CompletedTables);
        LoadProgress.Start(finishedBytes + EstimateBytes(plan, finished), finishedBytes);
        var exporter = new ChunkExporter(settings.StatementSize, settings.Where, DumpProgress);
        // CSV through LOAD DATA LOCAL costs less CPU on all three processes than INSERT statements; stream-csv = false opts out.
        var csvExporter = context.StreamCsv && await LocalInfileAllowedAsync(target, cancellationToken)
            ? new CsvChunkExporter(CsvFormat.Default, settings.Where, DumpProgress) : null;
        var transfers = Channel.CreateBounded<Transfer>(new BoundedChannelOptions(1) { SingleWriter = false, SingleReader = false });
        var writers = Math.Max(1, context.Config.Loader.PoolSize);

        var exporters = snapshot.Connections.Count;
        await ParallelWorkers.RunAsync(2, async (group, ct) =>
        {
            if (group == 1)
            {
                await ParallelWorkers.RunAsync(writers, (_, wct) => WriteLoopAsync(transfers.Reader, queue, checkpoint, verb, csvExporter is not null, wct), ct);
                return;
            }
            try
            {
                await ParallelWorkers.RunAsync(exporters, (i, ect) => ExportLoopAsync(snapshot.Connections[i], queue, exporter, csvExporter, transfers, ect), ct);
                transfers.Writer.TryComplete();
            }
            catch (Exception e)
            {
                transfers.Writer.TryComplete(e);
                throw;
            }
        }, cancellationToken);
        // Belt and braces: the copy is finished only when the target holds a checkpoint for every planned chunk.
        var committed = await checkpoint.ReadFinishedAsync(target, cancellationToken);
        var missing = plan.AllChunks().Count(c => !committed.ContainsKey(c.Chunk.Id));
        if (missing > 0)
            throw Dm.Core.Errors.DmErrors.ErrLoadTaskCheckPointNotMatch.New();
        await DeferredIndexRestorer.RestoreAsync(context.Target, plan, writers, cancellationToken);
        Metadata = metadata;
        DumpProgress.Finish();
        LoadProgress.Finish();
    }

    private async Task ExportLoopAsync(MySqlConnection source, ChunkQueue queue, ChunkExporter exporter, CsvChunkExporter? csvExporter,
        Channel<Transfer> transfers, CancellationToken ct)
    {
        await foreach (var item in queue.TakeAllAsync(ct))
        {
            if (csvExporter is not null)
            {
                await ExportCsvAsync(source, item.Table, item.Chunk, csvExporter, transfers, ct);
                continue;
            }
            var statements = Channel.CreateBounded<string>(new BoundedChannelOptions(StatementsInFlight) { SingleWriter = true, SingleReader = true });
            await transfers.Writer.WriteAsync(new Transfer(item.Table, item.Chunk, statements, null), ct);
            try
            {
                await foreach (var body in exporter.ExportAsync(source, item.Table, item.Chunk, ct))
                    await statements.Writer.WriteAsync(body, ct);
                statements.Writer.Complete();
            }
            catch (Exception e)
            {
                statements.Writer.TryComplete(e);
                throw;
            }
        }
    }

    private static async Task ExportCsvAsync(MySqlConnection source, TablePlan table, ChunkPlan chunk, CsvChunkExporter exporter,
        Channel<Transfer> transfers, CancellationToken ct)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: CsvPipeBytes, resumeWriterThreshold: CsvPipeBytes / 2));
        await transfers.Writer.WriteAsync(new Transfer(table, chunk, null!, pipe), ct);
        try
        {
            // Rows are small: buffer them so the pipe is flushed in 64 KiB steps, not per row. Flushed with the token and
            // never disposed: disposing flushes without one, which waits forever on a full pipe nobody reads after a stop.
            var buffered = new BufferedStream(pipe.Writer.AsStream(leaveOpen: true), 1 << 16);
            await exporter.ExportAsync(source, table, chunk, buffered, ct);
            await buffered.FlushAsync(ct);
            await pipe.Writer.CompleteAsync();
        }
        catch (Exception e)
        {
            // The loader sees the failure when it reads on, and never commits a chunk whose data did not end.
            await pipe.Writer.CompleteAsync(e);
            throw;
        }
    }

    /// <summary>Whether the target takes LOAD DATA LOCAL INFILE (MariaDB by default; MySQL 8 and others may not).</summary>
    private static async Task<bool> LocalInfileAllowedAsync(MySqlConnection target, CancellationToken ct)
    {
        await using var command = new MySqlCommand("SHOW VARIABLES LIKE 'local_infile'", target);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) && reader.GetString(1).Equals("ON", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// A deadlock or lock timeout rolls the chunk back; the writer then drains the rest of its statements and puts
    /// the chunk back in the queue, and an exporter reads it again from the same snapshot.
    /// </summary>
    private async Task WriteLoopAsync(ChannelReader<Transfer> transfers, ChunkQueue queue, LoaderCheckpointTable checkpoint, string verb, bool csv,
        CancellationToken ct)
    {
        await using var target = await DataConnections.OpenAsync(context.Target, ct, allowLocalInfile: csv, strict: true);
        await DataConnections.ExecuteAsync(target, "SET SESSION foreign_key_checks = 0", ct);
        var writer = new ChunkWriter(target, checkpoint, verb, LoadProgress, _conflictingTables, _extended);
        var csvLoader = new CsvChunkLoader(target, checkpoint, CsvFormat.Default, LoadUnit.OnDuplicateMode(context.Config.Loader), LoadProgress, _conflictingTables,
            _extended);
        await foreach (var transfer in transfers.ReadAllAsync(ct))
        {
            try
            {
                if (transfer.Csv is { } pipe)
                    await csvLoader.LoadStreamAsync(transfer.Table, transfer.Chunk, pipe.Reader.AsStream(), ct);
                else
                    await writer.WriteAsync(transfer.Table, transfer.Chunk, transfer.Statements.Reader.ReadAllAsync(ct), ct);
                if (queue.Complete(transfer.Table)) DumpProgress.TableCompleted();
            }
            catch (Exception e) when (RetryableChunkError.Is(e) && !ct.IsCancellationRequested && queue.Retry(transfer.Table, transfer.Chunk, RetryableChunkError.MaxAttempts))
            {
                // Let the exporter finish the abandoned chunk: a completed pipe reader drops the rest of its bytes.
                if (transfer.Csv is { } pipe)
                    await pipe.Reader.CompleteAsync();
                else
                    await foreach (var _ in transfer.Statements.Reader.ReadAllAsync(ct)) { }
                await Task.Delay(RetryableChunkError.Backoff(1), ct);
            }
            catch (Exception e) when (transfer.Csv is { } pipe)
            {
                // Stopped or failed: the exporter must not wait for room in a pipe nobody reads any more.
                await pipe.Reader.CompleteAsync(e);
                throw;
            }
        }
    }

    private void ShowMeta(DumpMetadata metadata)
    {
        LoadProgress.MetaBinlog = metadata.BinlogText;
        LoadProgress.MetaBinlogGtid = metadata.Position.GtidText;
    }

    /// <summary>Text size of the unfinished part, from the tables' average row length (the exact size is known only after export).</summary>
    private static long EstimateBytes(DumpPlan plan, Dictionary<string, long> finished) =>
        plan.Tables.Sum(t => t.Chunks.Count == 0 ? 0 : t.EstimatedRows * 100 * t.Chunks.Count(c => !finished.ContainsKey(c.Id)) / t.Chunks.Count);
}
