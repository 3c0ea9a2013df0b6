using System.Collections.Concurrent;
using Dm.Core.Api;
using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Core.Rules;
using Dm.Worker.Checkpoints;
using Dm.Worker.Dump;
using Dm.Worker.Units;

namespace Dm.Worker.Load;

/// <summary>
/// DM's Load unit (logical import). File mode: routes the dumped tables (files keep upstream names) by the task's rules,
/// creates the routed schemas and tables, then <c>pool_size</c>
/// writers apply the dump dir's chunk files, each in one transaction with its checkpoint row, skipping chunks
/// already checkpointed; removes the dump dir afterwards unless <c>clean-dump-file</c> is false.
/// Streaming mode: finishes the shared <see cref="StreamingCopy"/> (normally already done by Dump; after a
/// restart it re-exports only the chunks that are not checkpointed).
/// </summary>
public sealed class LoadUnit : IUnit
{
    private readonly FullCopyContext _context;
    private readonly StreamingCopy? _streaming;
    private readonly LoadProgress _progress = new();

    public LoadUnit(FullCopyContext context, StreamingCopy? streaming = null)
    {
        _context = context;
        _streaming = streaming;
    }

    public string Name => "Load";

    /// <summary>The dump positions the loaded data corresponds to (where Sync starts); null before.</summary>
    public DumpMetadata? Metadata { get; private set; }

    internal static string OnDuplicateMode(LoaderConfig loader) =>
        loader.OnDuplicateLogical.Length > 0 ? loader.OnDuplicateLogical : loader.OnDuplicate;

    public Task InitAsync(CancellationToken cancellationToken)
    {
        _ = OnDuplicate.Verb(OnDuplicateMode(_context.Config.Loader));
        if (_context.Config.Loader.ImportMode is not ("logical" or "sql" or "loader" or ""))
            throw DmErrors.ErrConfigInvalidLoadMode.New(_context.Config.Loader.ImportMode + " (only logical import is implemented)");
        return Task.CompletedTask;
    }

    public LoadStatus Status() => _streaming?.LoadProgress.ToStatus() ?? _progress.ToStatus();

    UnitStatus IUnit.Status() => new(Status());

    public Task<UnitResult> ProcessAsync(CancellationToken cancellationToken) =>
        UnitRunner.RunAsync(async ct =>
        {
            if (_streaming is not null)
            {
                await _streaming.RunAsync(ct);
                Metadata = _streaming.Metadata;
                if (_context.OnLoaded is { } loaded && Metadata is not null) await loaded(Metadata, ct);
            }
            else
            {
                Metadata = await LoadFilesAsync(ct);
            }
        }, DmErrors.ErrLoadLightningRuntime, cancellationToken);

    private DumpFileRouting Routing()
    {
        try { return new DumpFileRouting(new TableRouter(_context.Config.RouteRules, _context.Config.CaseSensitive)); }
        catch (ArgumentException e) { throw DmErrors.ErrLoadUnitGenTableRouter.Wrap(e); }
    }

    private async Task<DumpMetadata> LoadFilesAsync(CancellationToken cancellationToken)
    {
        var dir = new DumpDirectory(_context.DumpDirectory);
        if (!Directory.Exists(dir.Path) || !dir.IsComplete)
            throw DmErrors.ErrLoadUnitDumpDirNotFound.New(dir.Path);
        var metadata = dir.ReadMetadata();
        var manifest = dir.ReadManifest() ?? throw DmErrors.ErrLoadUnitDumpDirNotFound.New(dir.Combine(DumpFileNames.Manifest));
        var plan = Routing().Route(manifest.Plan);
        var dumped = plan.Tables.Zip(manifest.Plan.Tables).ToDictionary<(TablePlan First, TablePlan Second), TablePlan, TablePlan>(p => p.First, p => p.Second, ReferenceEqualityComparer.Instance);
        _progress.MetaBinlog = metadata.BinlogText;
        _progress.MetaBinlogGtid = metadata.Position.GtidText;

        var verb = OnDuplicate.Verb(OnDuplicateMode(_context.Config.Loader));
        var checkpoint = new LoaderCheckpointTable(_context.Config.MetaSchema, _context.TaskName, _context.SourceId, _context.Fence);
        await using (var target = await DataConnections.OpenAsync(_context.Target, cancellationToken))
        {
            await checkpoint.EnsureAsync(target, cancellationToken);
            await checkpoint.Fence.ClaimAsync(target, cancellationToken);
            var finished = await checkpoint.ReadFinishedAsync(target, cancellationToken);
            await TargetSchemaCreator.CreateAsync(target, plan, cancellationToken);
            var all = plan.AllChunks().ToList();
            long total = 0;
            foreach (var (_, chunk) in all)
                total += finished.TryGetValue(chunk.Id, out var size) ? size : new FileInfo(dir.Combine(chunk.Id)).Length;
            _progress.Start(total, finished.Values.Sum());
            var conflicting = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
            var extended = ExtendedColumns.Of(_context.Config);
            var pending = new ConcurrentQueue<(TablePlan, ChunkPlan)>(all.Where(c => !finished.ContainsKey(c.Chunk.Id)));
            await ParallelWorkers.RunAsync(Math.Max(1, _context.Config.Loader.PoolSize), async (_, ct) =>
            {
                if (pending.IsEmpty) return;
                await using var connection = await DataConnections.OpenAsync(_context.Target, ct, allowLocalInfile: manifest.Csv is not null, strict: true);
                await DataConnections.ExecuteAsync(connection, "SET SESSION foreign_key_checks = 0", ct);
                var writer = new ChunkWriter(connection, checkpoint, verb, _progress, conflicting, extended);
                var csvLoader = manifest.Csv is { } csv
                    ? new CsvChunkLoader(connection, checkpoint, csv, OnDuplicateMode(_context.Config.Loader), _progress, conflicting, extended) : null;
                while (pending.TryDequeue(out var item))
                {
                    var path = dir.Combine(item.Item2.Id);
                    if (!File.Exists(path))
                        throw DmErrors.ErrLoadUnitNoTableFile.New(path);
                    for (var attempt = 1; ; attempt++)
                    {
                        try
                        {
                            if (csvLoader is not null)
                                await csvLoader.LoadAsync(item.Item1, item.Item2, path, ct);
                            else
                                await writer.WriteAsync(item.Item1, item.Item2, DumpFileRouting.Retarget(
                                    DumpFileReader.ReadStatementBodiesAsync(path, ct), dumped[item.Item1], item.Item1), ct);
                            break;
                        }
                        catch (Exception e) when (RetryableChunkError.Is(e) && attempt < RetryableChunkError.MaxAttempts && !ct.IsCancellationRequested)
                        {
                            await Task.Delay(RetryableChunkError.Backoff(attempt), ct);
                        }
                    }
                }
            }, cancellationToken);
        }
        _progress.Finish();
        if (_context.OnLoaded is { } loaded) await loaded(metadata, cancellationToken);
        if (_context.Config.CleanDumpFile)
            Directory.Delete(dir.Path, recursive: true);
        return metadata;
    }
}
