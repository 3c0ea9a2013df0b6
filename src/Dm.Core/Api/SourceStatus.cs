namespace Dm.Core.Api;

public sealed record SourceStatus
{
    public string? ErrorMsg { get; init; }
    public RelayStatus? RelayStatus { get; init; }
    public required string SourceName { get; init; }
    public required string WorkerName { get; init; }
}

public sealed record RelayStatus
{
    public required string MasterBinlog { get; init; }
    public required string MasterBinlogGtid { get; init; }
    public required string RelayBinlogGtid { get; init; }
    public required bool RelayCatchUpMaster { get; init; }
    public required string RelayDir { get; init; }
    public required string Stage { get; init; }
}
