using Dm.ClusterState;

namespace Dm.Master.State;

/// <summary>
/// Wakes a consumer on every change under some prefixes of the cluster store (the consumer re-reads what it needs), also
/// when the history under its watch was compacted.
/// </summary>
public static class StoreChanges
{
    /// <summary>Watches each prefix after <paramref name="afterRevision"/> in the background until cancelled.</summary>
    public static void Follow(IClusterStore store, IEnumerable<string> prefixes, long afterRevision, Action onChange, ILogger logger,
        CancellationToken ct)
    {
        foreach (var prefix in prefixes) _ = FollowAsync(store, prefix, afterRevision, onChange, logger, ct);
    }

    private static async Task FollowAsync(IClusterStore store, string prefix, long afterRevision, Action onChange, ILogger logger,
        CancellationToken ct)
    {
        try
        {
            while (true)
            {
                try
                {
                    await foreach (var _ in store.WatchAsync(prefix, afterRevision, ct)) onChange();
                }
                catch (CompactedRevisionException)
                {
                    // History the watch still needed was compacted (a write of secrets compacts at once): what changed in
                    // it is unknown, so the consumer re-reads everything, and the watch goes on from the current revision.
                    afterRevision = await store.GetRevisionAsync(ct);
                    onChange();
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException && ct.IsCancellationRequested || e is ObjectDisposedException)
        {
            // stopping
        }
        catch (Exception e)
        {
            logger.LogWarning("watch of {Prefix} ended: {Error}; periodic re-reads go on", prefix, e.Message);
        }
    }
}
