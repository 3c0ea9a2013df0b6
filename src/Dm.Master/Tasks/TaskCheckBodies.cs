namespace Dm.Master.Tasks;

// Bodies of DM#'s `POST /api/v1/tasks/check`, the REST form of DM's CheckTask (dmctl `check-task`),
// which DM offers only over the master's gRPC.

public sealed record TaskCheckRequest
{
    /// <summary>DM's task.yaml, unchanged (the text dmctl start-task reads).</summary>
    public string? TaskConfigFile { get; init; }

    /// <summary>At most this many failures are shown in the detail (the summary counts them all); DM's default 10.</summary>
    public int? ErrorCount { get; init; }

    /// <summary>At most this many warnings are shown in the detail; DM's default 10.</summary>
    public int? WarnCount { get; init; }

    /// <summary>The start time start-task would be given (incremental tasks need it or a meta per source).</summary>
    public string? StartTime { get; init; }
}

/// <summary>
/// DM's CheckTaskResponse: <c>result</c> false when a checking item failed (or a database could not be
/// checked), <c>msg</c> the pre-check's message (passed, warnings with their detail, or error 26005 with it).
/// </summary>
public sealed record TaskCheckResponse
{
    public required bool Result { get; init; }
    public required string Msg { get; init; }
}
