namespace Dm.ClusterState;

/// <summary>
/// The store as a writer of secrets uses it: after a write that touches a key holding secrets (a source config with
/// its password, a task with its passwords and TLS keys), history is compacted up to that write, so the superseded or
/// deleted value (its old password, even encrypted) can no longer be read from any revision. etcd's periodic
/// auto-compaction would drop it too, but only an hour later; a watcher whose revision is compacted by this re-reads
/// the state and watches on (see <see cref="IClusterStore.WatchAsync"/>'s <see cref="CompactedRevisionException"/>).
/// Reads, watches and leases pass through.
/// </summary>
/// <param name="inner">The store itself (not owned).</param>
/// <param name="secretPrefixes">The key prefixes whose values hold secrets.</param>
/// <param name="compactionFailed">Told when a compaction after a write failed (the write itself stands; the store's
/// own auto-compaction drops the old value later).</param>
public sealed class SecretHistoryCompactor(IClusterStore inner, IReadOnlyList<string> secretPrefixes, Action<Exception>? compactionFailed = null)
    : DelegatingClusterStore(inner)
{
    public override async Task<long> PutAsync(string key, byte[] value, long leaseId = 0, CancellationToken ct = default)
    {
        long revision = await Inner.PutAsync(key, value, leaseId, ct).ConfigureAwait(false);
        if (HoldsSecret(TxnOpKind.Put, key)) await CompactUpToAsync(revision, ct).ConfigureAwait(false);
        return revision;
    }

    public override async Task<long> DeleteAsync(string key, CancellationToken ct = default)
    {
        long deleted = await Inner.DeleteAsync(key, ct).ConfigureAwait(false);
        if (deleted > 0 && HoldsSecret(TxnOpKind.Delete, key)) await CompactToCurrentAsync(ct).ConfigureAwait(false);
        return deleted;
    }

    public override async Task<long> DeletePrefixAsync(string prefix, CancellationToken ct = default)
    {
        long deleted = await Inner.DeletePrefixAsync(prefix, ct).ConfigureAwait(false);
        if (deleted > 0 && HoldsSecret(TxnOpKind.DeletePrefix, prefix)) await CompactToCurrentAsync(ct).ConfigureAwait(false);
        return deleted;
    }

    public override async Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<TxnOp> then,
        IReadOnlyList<TxnOp>? otherwise = null, CancellationToken ct = default)
    {
        var result = await Inner.TxnAsync(compares, then, otherwise, ct).ConfigureAwait(false);
        var ran = result.Succeeded ? then : otherwise ?? [];
        if (ran.Any(op => HoldsSecret(op.Kind, op.Key))) await CompactUpToAsync(result.Revision, ct).ConfigureAwait(false);
        return result;
    }

    /// <summary>Whether a write of this kind to <paramref name="key"/> may replace or delete a value holding secrets.</summary>
    public bool HoldsSecret(TxnOpKind kind, string key) => kind switch
    {
        TxnOpKind.Put or TxnOpKind.Delete => secretPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)),
        // A prefix deletion reaches secrets when its range and a secret prefix's overlap.
        TxnOpKind.DeletePrefix => secretPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal) || p.StartsWith(key, StringComparison.Ordinal)),
        _ => false,
    };

    private async Task CompactToCurrentAsync(CancellationToken ct)
    {
        long revision;
        try
        {
            revision = await Inner.GetRevisionAsync(ct).ConfigureAwait(false);
        }
        catch (ClusterStoreException e)
        {
            compactionFailed?.Invoke(e);
            return;
        }
        await CompactUpToAsync(revision, ct).ConfigureAwait(false);
    }

    private async Task CompactUpToAsync(long revision, CancellationToken ct)
    {
        try
        {
            await Inner.CompactAsync(revision, ct).ConfigureAwait(false);
        }
        catch (CompactedRevisionException)
        {
            // Another write's compaction already went past this one.
        }
        catch (ClusterStoreException e)
        {
            compactionFailed?.Invoke(e);
        }
    }
}
