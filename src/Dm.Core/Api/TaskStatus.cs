namespace Dm.Core.Api;

// Per-subtask runtime status as returned by /tasks/{name}/status and Task.status_list.

public sealed record SubTaskStatus
{
    public DumpStatus? DumpStatus { get; init; }
    public string? ErrorMsg { get; init; }
    public LoadStatus? LoadStatus { get; init; }
    public required string Name { get; init; }
    public required string SourceName { get; init; }
    public required TaskStage Stage { get; init; }
    public SyncStatus? SyncStatus { get; init; }
    public required string Unit { get; init; }
    public string? UnresolvedDdlLockId { get; init; }
    public required string WorkerName { get; init; }
}

public sealed record LoadStatus
{
    public required long Bps { get; init; }
    public required long FinishedBytes { get; init; }
    public required string MetaBinlog { get; init; }
    public required string MetaBinlogGtid { get; init; }
    public required string Progress { get; init; }
    public required long TotalBytes { get; init; }
}

public sealed record SyncStatus
{
    public required string BinlogType { get; init; }
    public required List<string> BlockingDdls { get; init; }
    public required ulong DumpIoTotalBytes { get; init; }
    public required ulong IoTotalBytes { get; init; }
    public required string MasterBinlog { get; init; }
    public required string MasterBinlogGtid { get; init; }
    public required long RecentTps { get; init; }
    public required long SecondsBehindMaster { get; init; }
    public required bool Synced { get; init; }
    public required string SyncerBinlog { get; init; }
    public required string SyncerBinlogGtid { get; init; }
    public required long TotalEvents { get; init; }
    public required long TotalTps { get; init; }
    public required List<ShardingGroup> UnresolvedGroups { get; init; }
}

public sealed record DumpStatus
{
    public required long Bps { get; init; }
    public required double CompletedTables { get; init; }
    public required double EstimateTotalRows { get; init; }
    public required double FinishedBytes { get; init; }
    public required double FinishedRows { get; init; }
    public required string Progress { get; init; }
    public required long TotalTables { get; init; }
}

public sealed record ShardingGroup
{
    public required List<string> DdlList { get; init; }
    public required string FirstLocation { get; init; }
    public required List<string> Synced { get; init; }
    public required string Target { get; init; }
    public required List<string> Unsynced { get; init; }
}
