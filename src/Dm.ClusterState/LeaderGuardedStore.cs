namespace Dm.ClusterState;

/// <summary>
/// The store as the leader writes it: every write lands only while the leader's election key is still the one it won
/// (etcd's usual fencing of a deposed leader). A leader that was paused past its session's lease, or cut off from the
/// store while another master took over, may still believe it leads for a moment; its writes then change nothing and
/// fail with <see cref="NotLeaderException"/>, checked in the same transaction as the write. Reads, watches and leases
/// pass through unguarded.
/// </summary>
/// <param name="inner">The store itself.</param>
/// <param name="leadership">This process's won election, or null while it does not lead (every write is then refused).</param>
public sealed class LeaderGuardedStore(IClusterStore inner, Func<Leadership?> leadership) : IClusterStore
{
    public Task<long> GetRevisionAsync(CancellationToken ct = default) => inner.GetRevisionAsync(ct);

    public Task<RangeResult> GetAsync(string key, CancellationToken ct = default) => inner.GetAsync(key, ct);

    public Task<RangeResult> GetPrefixAsync(string prefix, CancellationToken ct = default) => inner.GetPrefixAsync(prefix, ct);

    public async Task<long> PutAsync(string key, byte[] value, long leaseId = 0, CancellationToken ct = default) =>
        (await GuardedAsync([], [TxnOp.Put(key, value, leaseId)], ct).ConfigureAwait(false)).Revision;

    public async Task<long> DeleteAsync(string key, CancellationToken ct = default) =>
        (await GuardedAsync([], [TxnOp.Delete(key)], ct).ConfigureAwait(false)).Results[0].Deleted;

    public async Task<long> DeletePrefixAsync(string prefix, CancellationToken ct = default) =>
        (await GuardedAsync([], [TxnOp.DeletePrefix(prefix)], ct).ConfigureAwait(false)).Results[0].Deleted;

    /// <summary>
    /// The transaction with the leader's guard added to its compares. When it does not hold, nothing runs (neither branch)
    /// and <see cref="NotLeaderException"/> is thrown; so an <paramref name="otherwise"/> branch may only read: one that
    /// writes would need the guard to hold when the caller's compares fail, which one transaction cannot express.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="otherwise"/> writes.</exception>
    /// <exception cref="NotLeaderException">this process does not lead (any more).</exception>
    public async Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<TxnOp> then,
        IReadOnlyList<TxnOp>? otherwise = null, CancellationToken ct = default)
    {
        if (otherwise?.Any(op => op.Kind is not (TxnOpKind.Get or TxnOpKind.GetPrefix)) == true)
            throw new ArgumentException("a transaction of the leader can only read in its otherwise branch (the leader's guard cannot guard its writes)",
                nameof(otherwise));
        return await GuardedAsync(compares, then, ct, otherwise).ConfigureAwait(false);
    }

    public IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long afterRevision, CancellationToken ct = default) =>
        inner.WatchAsync(prefix, afterRevision, ct);

    public Task<long> GrantLeaseAsync(long ttlSeconds, CancellationToken ct = default) => inner.GrantLeaseAsync(ttlSeconds, ct);

    public Task<long> KeepAliveOnceAsync(long leaseId, CancellationToken ct = default) => inner.KeepAliveOnceAsync(leaseId, ct);

    public Task RevokeLeaseAsync(long leaseId, CancellationToken ct = default) => inner.RevokeLeaseAsync(leaseId, ct);

    public Task<LeaseInfo?> GetLeaseAsync(long leaseId, CancellationToken ct = default) => inner.GetLeaseAsync(leaseId, ct);

    public Task CompactAsync(long revision, CancellationToken ct = default) => inner.CompactAsync(revision, ct);

    /// <summary>Not owned: the store is disposed by whoever opened it.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    // The otherwise branch also reads the election key, in the same revision: whether the guard or the caller's own
    // compares failed is then known without a second, racing read.
    private async Task<TxnResult> GuardedAsync(IReadOnlyList<Compare> compares, IReadOnlyList<TxnOp> then, CancellationToken ct,
        IReadOnlyList<TxnOp>? otherwise = null)
    {
        var leader = leadership() ?? throw new NotLeaderException(null);
        var guard = Compare.CreateRevision(leader.Key, CompareOp.Equal, leader.CreateRevision);
        var readBack = new List<TxnOp>(otherwise ?? []) { TxnOp.Get(leader.Key) };
        var result = await inner.TxnAsync([guard, .. compares], then, readBack, ct).ConfigureAwait(false);
        if (result.Succeeded) return result;
        if (result.Results[^1].Kvs is not [{ } key] || key.CreateRevision != leader.CreateRevision)
            throw new NotLeaderException(leader.Key);
        return result with { Results = result.Results.Take(result.Results.Count - 1).ToList() };
    }
}
