namespace Dm.ClusterState;

/// <summary>
/// The cluster state of DM#, with etcd's semantics: a revisioned key/value store (every write
/// transaction advances the store revision by one), transactions guarded by compares, prefix watches
/// that replay history from a revision, and leases whose expiry deletes their keys.
/// Leader election and background keepalive are built on these (<see cref="Election"/>, <see cref="LeaseKeeper"/>).
/// Implementations: SqliteClusterStore (local, single master) and EtcdClusterStore (a real etcd cluster).
/// A store that cannot reach its backend in time fails with <see cref="ClusterStoreUnavailableException"/>.
/// </summary>
public interface IClusterStore : IAsyncDisposable
{
    /// <summary>The store's current revision.</summary>
    Task<long> GetRevisionAsync(CancellationToken ct = default);

    Task<RangeResult> GetAsync(string key, CancellationToken ct = default);

    /// <summary>All keys starting with <paramref name="prefix"/>, sorted by key (byte order).</summary>
    Task<RangeResult> GetPrefixAsync(string prefix, CancellationToken ct = default);

    /// <summary>Writes a key (attached to <paramref name="leaseId"/> when not 0); returns the new revision.</summary>
    /// <exception cref="LeaseNotFoundException">the lease does not exist.</exception>
    Task<long> PutAsync(string key, byte[] value, long leaseId = 0, CancellationToken ct = default);

    /// <summary>Deletes one key; returns how many were deleted (0 or 1). Deleting nothing does not advance the revision.</summary>
    Task<long> DeleteAsync(string key, CancellationToken ct = default);

    /// <summary>Deletes every key starting with <paramref name="prefix"/> in one revision; returns the count.</summary>
    Task<long> DeletePrefixAsync(string prefix, CancellationToken ct = default);

    /// <summary>
    /// If every compare holds, runs <paramref name="then"/>, else <paramref name="otherwise"/>, atomically and
    /// in order; all writes of the transaction share one new revision (none if nothing was written).
    /// </summary>
    /// <exception cref="ArgumentException">a branch writes a key twice or gives an empty key (see <see cref="TxnOp"/>).</exception>
    /// <exception cref="LeaseNotFoundException">a put of the branch that runs names a lease that does not exist.</exception>
    Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<TxnOp> then,
        IReadOnlyList<TxnOp>? otherwise = null, CancellationToken ct = default);

    /// <summary>
    /// Every change of a key starting with <paramref name="prefix"/> whose revision is greater than
    /// <paramref name="afterRevision"/>, in revision order, first from history then live, until cancelled.
    /// Typical use: read with GetPrefixAsync, then watch after the revision of that read.
    /// </summary>
    /// <exception cref="CompactedRevisionException">(while enumerating) history after <paramref name="afterRevision"/> was compacted.</exception>
    IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long afterRevision, CancellationToken ct = default);

    /// <summary>
    /// Creates a lease that expires <paramref name="ttlSeconds"/> after its last keepalive; returns its id (never 0).
    /// A store may keep a longer TTL than asked (etcd raises it to 1.5 election timeouts, 2s by default).
    /// </summary>
    Task<long> GrantLeaseAsync(long ttlSeconds, CancellationToken ct = default);

    /// <summary>Restarts the lease's TTL; returns the TTL in seconds (the one the store keeps).</summary>
    /// <exception cref="LeaseNotFoundException">the lease expired or was revoked.</exception>
    Task<long> KeepAliveOnceAsync(long leaseId, CancellationToken ct = default);

    /// <summary>Ends the lease and deletes its keys (one revision, delete events for each key).</summary>
    /// <exception cref="LeaseNotFoundException">the lease does not exist.</exception>
    Task RevokeLeaseAsync(long leaseId, CancellationToken ct = default);

    /// <summary>The lease's TTLs, or null when it does not exist.</summary>
    Task<LeaseInfo?> GetLeaseAsync(long leaseId, CancellationToken ct = default);

    /// <summary>
    /// Drops history up to and including <paramref name="revision"/>: a watch after an older revision then fails
    /// (one after <paramref name="revision"/> itself still works).
    /// </summary>
    /// <exception cref="CompactedRevisionException"><paramref name="revision"/> was already compacted.</exception>
    /// <exception cref="FutureRevisionException"><paramref name="revision"/> is newer than the store's revision.</exception>
    Task CompactAsync(long revision, CancellationToken ct = default);
}
