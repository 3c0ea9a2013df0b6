namespace Dm.ClusterState;

/// <summary>
/// A store in front of another that it does not own: every call passes through unless the derived class overrides it
/// (the guarded writes of <see cref="LeaderGuardedStore"/>, the compactions of <see cref="SecretHistoryCompactor"/>).
/// </summary>
public abstract class DelegatingClusterStore(IClusterStore inner) : IClusterStore
{
    protected IClusterStore Inner => inner;

    public virtual Task<long> GetRevisionAsync(CancellationToken ct = default) => inner.GetRevisionAsync(ct);

    public virtual Task<RangeResult> GetAsync(string key, CancellationToken ct = default) => inner.GetAsync(key, ct);

    public virtual Task<RangeResult> GetPrefixAsync(string prefix, CancellationToken ct = default) => inner.GetPrefixAsync(prefix, ct);

    public virtual Task<long> PutAsync(string key, byte[] value, long leaseId = 0, CancellationToken ct = default) =>
        inner.PutAsync(key, value, leaseId, ct);

    public virtual Task<long> DeleteAsync(string key, CancellationToken ct = default) => inner.DeleteAsync(key, ct);

    public virtual Task<long> DeletePrefixAsync(string prefix, CancellationToken ct = default) => inner.DeletePrefixAsync(prefix, ct);

    public virtual Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<TxnOp> then,
        IReadOnlyList<TxnOp>? otherwise = null, CancellationToken ct = default) => inner.TxnAsync(compares, then, otherwise, ct);

    public virtual IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long afterRevision, CancellationToken ct = default) =>
        inner.WatchAsync(prefix, afterRevision, ct);

    public virtual Task<long> GrantLeaseAsync(long ttlSeconds, CancellationToken ct = default) => inner.GrantLeaseAsync(ttlSeconds, ct);

    public virtual Task<long> KeepAliveOnceAsync(long leaseId, CancellationToken ct = default) => inner.KeepAliveOnceAsync(leaseId, ct);

    public virtual Task RevokeLeaseAsync(long leaseId, CancellationToken ct = default) => inner.RevokeLeaseAsync(leaseId, ct);

    public virtual Task<LeaseInfo?> GetLeaseAsync(long leaseId, CancellationToken ct = default) => inner.GetLeaseAsync(leaseId, ct);

    public virtual Task CompactAsync(long revision, CancellationToken ct = default) => inner.CompactAsync(revision, ct);

    /// <summary>Not owned: the store is disposed by whoever opened it.</summary>
    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
