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
public sealed class LeaderGuardedStore(IClusterStore inner, Func<Leadership?> leadership) : DelegatingClusterStore(inner)
{
    public override async Task<long> PutAsync(string key, byte[] value, long leaseId = 0, CancellationToken ct = default) =>
        (await GuardedAsync([], [TxnOp.Put(key, value, leaseId)], ct).ConfigureAwait(false)).Revision;

    public override async Task<long> DeleteAsync(string key, CancellationToken ct = default) =>
        (await GuardedAsync([], [TxnOp.Delete(key)], ct).ConfigureAwait(false)).Results[0].Deleted;

    public override async Task<long> DeletePrefixAsync(string prefix, CancellationToken ct = default) =>
        (await GuardedAsync([], [TxnOp.DeletePrefix(prefix)], ct).ConfigureAwait(false)).Results[0].Deleted;

    /// <summary>
    /// The transaction with the leader's guard added to its compares. When it does not hold, nothing runs (neither branch)
    /// and <see cref="NotLeaderException"/> is thrown; so an <paramref name="otherwise"/> branch may only read: one that
    /// writes would need the guard to hold when the caller's compares fail, which one transaction cannot express.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="otherwise"/> writes.</exception>
    /// <exception cref="NotLeaderException">this process does not lead (any more).</exception>
    public override async Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<TxnOp> then,
        IReadOnlyList<TxnOp>? otherwise = null, CancellationToken ct = default)
    {
        if (otherwise?.Any(op => op.Kind is not (TxnOpKind.Get or TxnOpKind.GetPrefix)) == true)
            throw new ArgumentException("a transaction of the leader can only read in its otherwise branch (the leader's guard cannot guard its writes)",
                nameof(otherwise));
        return await GuardedAsync(compares, then, ct, otherwise).ConfigureAwait(false);
    }

    // The otherwise branch also reads the election key, in the same revision: whether the guard or the caller's own
    // compares failed is then known without a second, racing read.
    private async Task<TxnResult> GuardedAsync(IReadOnlyList<Compare> compares, IReadOnlyList<TxnOp> then, CancellationToken ct,
        IReadOnlyList<TxnOp>? otherwise = null)
    {
        var leader = leadership() ?? throw new NotLeaderException(null);
        var guard = Compare.CreateRevision(leader.Key, CompareOp.Equal, leader.CreateRevision);
        var readBack = new List<TxnOp>(otherwise ?? []) { TxnOp.Get(leader.Key) };
        var result = await Inner.TxnAsync([guard, .. compares], then, readBack, ct).ConfigureAwait(false);
        if (result.Succeeded) return result;
        if (result.Results[^1].Kvs is not [{ } key] || key.CreateRevision != leader.CreateRevision)
            throw new NotLeaderException(leader.Key);
        return result with { Results = result.Results.Take(result.Results.Count - 1).ToList() };
    }
}
