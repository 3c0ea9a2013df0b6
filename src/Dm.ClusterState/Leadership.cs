namespace Dm.ClusterState;

/// <summary>This candidate's won election: its key, lease and the create revision that ranks it.</summary>
public sealed class Leadership(IClusterStore store, string key, long leaseId, long createRevision)
{
    public string Key { get; } = key;
    public long LeaseId { get; } = leaseId;
    public long CreateRevision { get; } = createRevision;

    /// <summary>Gives up leadership (deletes the key if it is still ours); the next candidate takes over.</summary>
    public async Task ResignAsync(CancellationToken ct = default)
        => await store.TxnAsync([Compare.CreateRevision(Key, CompareOp.Equal, CreateRevision)], [TxnOp.Delete(Key)], null, ct)
            .ConfigureAwait(false);

    /// <summary>Publishes a new leader value without a new election.</summary>
    /// <exception cref="LeadershipLostException">the key is no longer ours.</exception>
    public async Task ProclaimAsync(string value, CancellationToken ct = default)
    {
        var txn = await store.TxnAsync([Compare.CreateRevision(Key, CompareOp.Equal, CreateRevision)],
            [TxnOp.Put(Key, value, LeaseId)], null, ct).ConfigureAwait(false);
        if (!txn.Succeeded)
            throw new LeadershipLostException(Key);
    }

    /// <summary>Whether the key still exists as ours (a lost lease or a resign removes it).</summary>
    public async Task<bool> IsLeaderAsync(CancellationToken ct = default)
        => (await store.GetAsync(Key, ct).ConfigureAwait(false)).Kv?.CreateRevision == CreateRevision;

    /// <summary>Completes when leadership is lost: our key was deleted (lease expiry, revoke, resign).</summary>
    public async Task WaitLostAsync(CancellationToken ct = default)
    {
        while (true)
        {
            var current = await store.GetAsync(Key, ct).ConfigureAwait(false);
            if (current.Kv?.CreateRevision != CreateRevision)
                return;
            try
            {
                await foreach (var e in store.WatchAsync(Key, current.Revision, ct).ConfigureAwait(false))
                {
                    if (e.Type == WatchEventType.Delete && e.Kv.Key == Key)
                        return;
                }
            }
            catch (CompactedRevisionException)
            {
                // History after the read was compacted: read the key again.
            }
        }
    }
}
