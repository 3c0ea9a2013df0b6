namespace Dm.Master.Tasks;

// Bodies of DM#'s `POST /api/v1/tasks/{task}/binlog/{operation}`, the REST form of DM's HandleError
// (dmctl `binlog skip|replace|list|revert`), which DM offers only over the master's gRPC.

public sealed record BinlogOperationRequest
{
    /// <summary>The event to act on, "file:pos" (DM's "name|000001.000003:pos" is accepted); none = the event the task stopped on.</summary>
    public string? BinlogPos { get; init; }

    /// <summary>replace: the statements to run instead of the event, one statement each.</summary>
    public List<string>? Sqls { get; init; }

    /// <summary>The task's sources to act on; none = all of them.</summary>
    public List<string>? SourceNameList { get; init; }
}

public sealed record BinlogOperationResponse
{
    public required int Total { get; init; }
    public required List<BinlogOperationSourceResult> Data { get; init; }
}

/// <summary>What one source's worker answered; a worker's refusal is here with its DM code, not a failed request.</summary>
public sealed record BinlogOperationSourceResult
{
    public required string SourceName { get; init; }
    public required string WorkerName { get; init; }
    public required bool Result { get; init; }
    public int? ErrorCode { get; init; }
    public string? ErrorMsg { get; init; }

    /// <summary>list: the pending operations.</summary>
    public List<BinlogErrorOperationView>? Operations { get; init; }
}

public sealed record BinlogErrorOperationView
{
    public required string BinlogPos { get; init; }

    /// <summary>skip or replace.</summary>
    public required string Op { get; init; }

    public required List<string> Sqls { get; init; }
}
