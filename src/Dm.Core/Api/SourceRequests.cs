namespace Dm.Core.Api;

// Request and response bodies of the /sources endpoints.

public sealed record CreateSourceRequest
{
    public required Source Source { get; init; }
    public string? WorkerName { get; init; }
}

public sealed record UpdateSourceRequest
{
    public required Source Source { get; init; }
}

public sealed record WorkerNameRequest
{
    public required string WorkerName { get; init; }
}

public sealed record EnableRelayRequest
{
    public string? RelayBinlogGtid { get; init; }
    public string? RelayBinlogName { get; init; }
    public string? RelayDir { get; init; }
    public List<string>? WorkerNameList { get; init; }
}

public sealed record DisableRelayRequest
{
    public List<string>? WorkerNameList { get; init; }
}

public sealed record PurgeRelayRequest
{
    public required string RelayBinlogName { get; init; }
    public string? RelayDir { get; init; }
}

public sealed record GetSourceListResponse
{
    public required List<Source> Data { get; init; }
    public required int Total { get; init; }
}

public sealed record GetSourceStatusResponse
{
    public required List<SourceStatus> Data { get; init; }
    public required int Total { get; init; }
}
