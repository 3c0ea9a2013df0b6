namespace Dm.Core.Api;

// DM#'s shard-DDL lock endpoints (/tasks/{task-name}/shard-ddl-locks): DM serves show-ddl-locks / unlock-ddl-lock over its
// master's gRPC only.

/// <summary>One unresolved pessimistic shard-DDL lock (DM's DDLLock of show-ddl-locks).</summary>
public sealed record ShardDdlLockView
{
    /// <summary>DM's lock ID: <c>task-`schema`.`table`</c>.</summary>
    public required string Id { get; init; }
    public required string Task { get; init; }
    public required string Mode { get; init; }
    /// <summary>The source that executes the DDLs on the target.</summary>
    public required string Owner { get; init; }
    public required List<string> Ddls { get; init; }
    /// <summary>Sources whose shards all reached the DDLs.</summary>
    public required List<string> Synced { get; init; }
    /// <summary>Sources the lock still waits on.</summary>
    public required List<string> Unsynced { get; init; }
    /// <summary>Sources that executed or skipped the DDLs.</summary>
    public required List<string> Done { get; init; }
    /// <summary>Why the lock is not resolved yet, and what resolves it when it never will by itself.</summary>
    public required string Reason { get; init; }
}

public sealed record ShardDdlLockListResponse
{
    public required int Total { get; init; }
    public required List<ShardDdlLockView> Data { get; init; }
}

/// <summary>shard-ddl-lock unlock: resolve a lock by hand.</summary>
public sealed record ShardDdlLockUnlockRequest
{
    /// <summary>Replace the owner (a synced source) that executes the DDLs.</summary>
    public string? Owner { get; init; }
    /// <summary>Remove the lock: nobody executes its DDLs, every synced source goes on past them.</summary>
    public bool? ForceRemove { get; init; }
    /// <summary>skip (default: nobody executes the DDLs) or exec (the owner does), without waiting for the unsynced sources.</summary>
    public string? Action { get; init; }
}
