namespace Dm.ClusterState;

/// <summary>Base of the errors the cluster-state store reports on purpose.</summary>
public class ClusterStoreException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A revision older than the store's history keeps was asked for (watch or compact).</summary>
public sealed class CompactedRevisionException(long requested, long compactRevision)
    : ClusterStoreException($"required revision {requested} has been compacted (history starts after revision {compactRevision})")
{
    public long RequestedRevision { get; } = requested;
    public long CompactRevision { get; } = compactRevision;
}

/// <summary>A revision newer than the store's current one was asked for.</summary>
public sealed class FutureRevisionException(long requested, long current)
    : ClusterStoreException($"required revision {requested} is a future revision (current revision is {current})");

/// <summary>The lease does not exist: never granted, revoked, or expired.</summary>
public sealed class LeaseNotFoundException(long leaseId)
    : ClusterStoreException($"lease {leaseId:x} not found (revoked or expired)")
{
    public long LeaseId { get; } = leaseId;
}

/// <summary>Another process already owns the store's data directory.</summary>
public sealed class DataDirInUseException(string dataDir, Exception? inner = null)
    : ClusterStoreException($"data dir '{dataDir}' is in use by another process (is another dm-master running with this --data-dir?)", inner)
{
    public string DataDir { get; } = dataDir;
}

/// <summary>This candidate is no longer (or never became) the leader: its election key is gone.</summary>
public sealed class LeadershipLostException(string electionKey)
    : ClusterStoreException($"election key '{electionKey}' no longer exists (lease expired, revoked or resigned)");

/// <summary>
/// The store could not be reached in time (connection lost, no endpoint answered, the etcd cluster has no leader).
/// A write that fails this way may or may not have been applied: read before retrying it.
/// </summary>
public sealed class ClusterStoreUnavailableException(string message, Exception? inner = null) : ClusterStoreException(message, inner);

/// <summary>
/// A write of the leader's was refused because this process does not lead: it never won, or its election key is gone
/// (lease expired, resigned, another leads). Nothing of the write was applied (<see cref="LeaderGuardedStore"/>).
/// </summary>
public sealed class NotLeaderException(string? electionKey)
    : ClusterStoreException(electionKey == null
        ? "this master does not lead: only the leader writes the cluster state"
        : $"this master no longer leads (its election key '{electionKey}' is gone or another's): the write was not applied")
{
    public string? ElectionKey { get; } = electionKey;
}
