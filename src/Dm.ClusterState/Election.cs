using System.Runtime.CompilerServices;

namespace Dm.ClusterState;

/// <summary>
/// Leader election over any <see cref="IClusterStore"/>, as etcd's concurrency/election recipe:
/// each candidate writes "&lt;name&gt;/&lt;lease id hex&gt;" on its own lease; the candidate whose key has the
/// lowest create revision is the leader; the others wait for the key just before theirs to go.
/// A leader's lease expiring deletes its key, so the next candidate takes over.
/// </summary>
public sealed class Election(IClusterStore store, string name)
{
    public string Name { get; } = name;

    private string Prefix => Name + "/";

    public string KeyFor(long leaseId) => Prefix + leaseId.ToString("x");

    /// <summary>
    /// Becomes a candidate and returns once this candidate is the leader. Cancelling withdraws the candidacy.
    /// Campaigning again on the same lease reuses its key (and updates the value).
    /// </summary>
    /// <exception cref="LeadershipLostException">the lease expired while waiting.</exception>
    public async Task<Leadership> CampaignAsync(long leaseId, string value, CancellationToken ct = default)
    {
        string key = KeyFor(leaseId);
        var txn = await store.TxnAsync([Compare.NotExists(key)], [TxnOp.Put(key, value, leaseId)], [TxnOp.Get(key)], ct)
            .ConfigureAwait(false);
        long createRevision = txn.Revision;
        if (!txn.Succeeded)
        {
            var existing = txn.Results[0].Kvs[0];
            createRevision = existing.CreateRevision;
            if (existing.ValueString != value)
                await store.PutAsync(key, value, leaseId, ct).ConfigureAwait(false);
        }
        var leadership = new Leadership(store, key, leaseId, createRevision);
        try
        {
            await WaitForPredecessorsAsync(key, createRevision, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await leadership.ResignAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        return leadership;
    }

    // Waits until no candidate created before us remains; fails if our own key disappears meanwhile.
    private async Task WaitForPredecessorsAsync(string key, long createRevision, CancellationToken ct)
    {
        while (true)
        {
            var candidates = await store.GetPrefixAsync(Prefix, ct).ConfigureAwait(false);
            if (!candidates.Kvs.Any(kv => kv.Key == key && kv.CreateRevision == createRevision))
                throw new LeadershipLostException(key);
            var predecessor = candidates.Kvs.Where(kv => kv.CreateRevision < createRevision).MaxBy(kv => kv.CreateRevision);
            if (predecessor is null)
                return;
            try
            {
                await foreach (var e in store.WatchAsync(Prefix, candidates.Revision, ct).ConfigureAwait(false))
                {
                    if (e.Type == WatchEventType.Delete && (e.Kv.Key == predecessor.Key || e.Kv.Key == key))
                        break;
                }
            }
            catch (CompactedRevisionException)
            {
                // History after the read was compacted: read the candidates again.
            }
        }
    }

    /// <summary>The current leader's key (its value is the leader's candidate value), or null when there is none.</summary>
    public async Task<KeyValue?> GetLeaderAsync(CancellationToken ct = default)
    {
        var candidates = await store.GetPrefixAsync(Prefix, ct).ConfigureAwait(false);
        return candidates.Kvs.MinBy(kv => kv.CreateRevision);
    }

    /// <summary>Yields the leader now (if any) and every time the leader or its value changes.</summary>
    public async IAsyncEnumerable<KeyValue> ObserveAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var leader in WatchLeaderAsync(ct).ConfigureAwait(false))
        {
            if (leader is not null)
                yield return leader;
        }
    }

    /// <summary>
    /// Yields the leader now (null when there is none) and again every time the leader, its value, or its absence
    /// changes: a follower learns both that the leader is gone (its key deleted) and who leads next.
    /// </summary>
    public async IAsyncEnumerable<KeyValue?> WatchLeaderAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        KeyValue? last = null;
        bool first = true;
        while (true)
        {
            var candidates = await store.GetPrefixAsync(Prefix, ct).ConfigureAwait(false);
            var leader = candidates.Kvs.MinBy(kv => kv.CreateRevision);
            if (first || leader?.Key != last?.Key || leader?.ModRevision != last?.ModRevision)
            {
                first = false;
                last = leader;
                yield return leader;
            }
            try
            {
                await foreach (var _ in store.WatchAsync(Prefix, candidates.Revision, ct).ConfigureAwait(false))
                    break;
            }
            catch (CompactedRevisionException)
            {
                // History after the read was compacted: read the candidates again.
            }
        }
    }
}
