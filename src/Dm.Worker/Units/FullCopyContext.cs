using Dm.Core.Config;
using Dm.Core.Upstream;

namespace Dm.Worker.Units;

/// <summary>
/// What the Dump and Load units of one subtask share: the resolved subtask config (after
/// <see cref="SubTaskConfig.Adjust"/>), the source and target endpoints with clear-text passwords, whether
/// Load consumes Dump's chunks directly (streaming) instead of through files, the worker's copy options, and the
/// worker's registry of dump dirs.
/// </summary>
public sealed record FullCopyContext(SubTaskConfig Config, DatabaseEndpoint Source, DatabaseEndpoint Target)
{
    /// <summary>Where the Dump unit registers the dump dirs it writes, for the heartbeat.</summary>
    public required Dm.Worker.Dump.DumpFileRegistry DumpFiles { get; init; }

    /// <summary>A streaming copy sends chunks as CSV through LOAD DATA LOCAL INFILE when the target allows it (the worker's <c>stream-csv</c>).</summary>
    public bool StreamCsv { get; init; } = true;

    /// <summary>Tables a streaming copy creates get their secondary indexes after their rows (the worker's <c>defer-indexes</c>).</summary>
    public bool DeferIndexes { get; init; } = true;

    /// <summary>Default true: Dump and Load in one worker stream chunks without a copy on disk.</summary>
    public bool Streaming { get; init; } = true;

    /// <summary>Rows per chunk when the table has an integer key and <c>rows</c> is 0 (DM would not split).</summary>
    public long DefaultChunkRows { get; init; } = 100_000;

    /// <summary>Called with the dump's positions once Load has finished, before dump files are removed (Sync records its start).</summary>
    public Func<Dm.Worker.Dump.DumpMetadata, CancellationToken, Task>? OnLoaded { get; init; }

    /// <summary>The binding epoch every loaded chunk carries (DM#'s fencing); none outside a cluster.</summary>
    public Dm.Worker.Checkpoints.TargetFence Fence { get; init; } = Dm.Worker.Checkpoints.TargetFence.None;

    public string TaskName => Config.Name;
    public string SourceId => Config.SourceId;
    public string DumpDirectory => Config.Loader.Dir;
}
