using Dm.Core.Api;
using Dm.Core.Errors;
using Dm.Core.Rules;
using Dm.Worker.Units;

namespace Dm.Worker.Dump;

/// <summary>
/// DM's Dump unit. File mode: exports the subtask's tables, under their upstream names, from one consistent snapshot into the dump dir with
/// <c>threads</c> connections; a restarted dump keeps the chunk files already finished (see
/// <see cref="DumpSettings.MayMixSnapshots"/> for when that is exact) and only exports the rest.
/// Streaming mode: runs the shared <see cref="StreamingCopy"/>, which loads chunks as they are read.
/// </summary>
public sealed class DumpUnit : IUnit
{
    private readonly FullCopyContext _context;
    private readonly StreamingCopy? _streaming;
    private readonly DumpProgress _progress = new();
    private DumpSettings? _settings;

    /// <param name="streaming">When given, this unit runs the streaming copy shared with the Load unit.</param>
    public DumpUnit(FullCopyContext context, StreamingCopy? streaming = null)
    {
        _context = context;
        _streaming = streaming;
    }

    public string Name => "Dump";

    /// <summary>The positions of the finished dump (null before).</summary>
    public DumpMetadata? Metadata { get; private set; }

    public Task InitAsync(CancellationToken cancellationToken)
    {
        _settings = DumpSettings.From(_context);
        if (_streaming is null)
        {
            try { new DumpDirectory(_context.DumpDirectory).EnsureWritable(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw DmErrors.ErrDumpUnitRuntime.Wrap(e, $"dump dir {_context.DumpDirectory} is not writable");
            }
        }
        return Task.CompletedTask;
    }

    public DumpStatus Status() => _streaming?.DumpProgress.ToStatus() ?? _progress.ToStatus();

    UnitStatus IUnit.Status() => new(Status());

    public Task<UnitResult> ProcessAsync(CancellationToken cancellationToken) =>
        UnitRunner.RunAsync(async ct =>
        {
            if (_streaming is not null)
            {
                await _streaming.RunAsync(ct);
                Metadata = _streaming.Metadata;
            }
            else
            {
                Metadata = await DumpToFilesAsync(_settings ?? throw new InvalidOperationException("InitAsync first"), ct);
            }
        }, DmErrors.ErrDumpUnitRuntime, cancellationToken);

    private async Task<DumpMetadata> DumpToFilesAsync(DumpSettings settings, CancellationToken cancellationToken)
    {
        var dir = new DumpDirectory(_context.DumpDirectory);
        if (dir.IsComplete)
        {
            _progress.Finish();
            return dir.ReadMetadata();
        }
        var started = DateTime.UtcNow;
        try { dir.EnsureWritable(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DmErrors.ErrDumpUnitRuntime.Wrap(e, $"dump dir {_context.DumpDirectory} is not writable");
        }
        await using var snapshot = await SnapshotSession.OpenAsync(_context.Source, settings.Threads, settings.Consistency,
            await ListTablesAsync(settings, cancellationToken), cancellationToken);
        var manifest = dir.ReadManifest();
        var finished = manifest is null ? new HashSet<string>() : dir.ReadFinished();
        if (manifest is not null && (manifest.Csv != settings.Csv
            || (finished.Count > 0 && !DumpSettings.MayMixSnapshots(_context, manifest.FirstPosition, snapshot.Position))))
        {
            dir.Reset();
            (manifest, finished) = (null, []);
        }
        if (manifest is null)
        {
            var tables = await TableLister.ListAsync(snapshot.Connections[0], settings.Filter, cancellationToken);
            // The files keep the upstream's names, as DM's dump files do: routes are the Load unit's business.
            var plan = await new TablePlanner(snapshot.Connections[0], new TableRouter([], _context.Config.CaseSensitive), settings.ChunkRows,
                    settings.Csv is null ? "sql" : "csv")
                .PlanAsync(tables, cancellationToken);
            manifest = new DumpDirectory.Manifest(plan, snapshot.Position, settings.Csv, _context.SourceId);
            dir.WriteManifest(manifest);
        }
        _context.DumpFiles.Register(dir.Path, _context.SourceId);
        var queue = new ChunkQueue(manifest.Plan, finished);
        _progress.Start(manifest.Plan.Tables.Count, manifest.Plan.Tables.Sum(t => t.EstimatedRows), queue.CompletedTables);
        var exporter = new ChunkExporter(settings.StatementSize, settings.Where, _progress);
        var csvExporter = settings.Csv is { } csv ? new CsvChunkExporter(csv, settings.Where, _progress) : null;
        await ParallelWorkers.RunAsync(snapshot.Connections.Count, async (i, ct) =>
        {
            await foreach (var item in queue.TakeAllAsync(ct))
            {
                if (csvExporter is not null)
                    await dir.WriteChunkAsync(item.Chunk, (stream, wct) => csvExporter.ExportAsync(snapshot.Connections[i], item.Table, item.Chunk, stream, wct), ct);
                else
                    await dir.WriteChunkAsync(item.Chunk, exporter.ExportAsync(snapshot.Connections[i], item.Table, item.Chunk, ct), ct);
                if (queue.Complete(item.Table)) _progress.TableCompleted();
            }
        }, cancellationToken);
        var samePoint = manifest.FirstPosition == snapshot.Position;
        var metadata = new DumpMetadata(manifest.FirstPosition, finished.Count > 0 && !samePoint ? snapshot.Position : null);
        dir.WriteMetadata(metadata, started);
        _progress.Finish();
        return metadata;
    }

    private async Task<IReadOnlyList<(string Schema, string Table)>> ListTablesAsync(DumpSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Consistency != ConsistencyMode.Lock)
            return [];
        await using var control = await DataConnections.OpenAsync(_context.Source, cancellationToken);
        return await TableLister.ListAsync(control, settings.Filter, cancellationToken);
    }
}
