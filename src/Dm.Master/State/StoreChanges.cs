using Dm.ClusterState;

namespace Dm.Master.State;

/// <summary>Wakes a consumer on every change under some prefixes of the cluster store (the consumer re-reads what it needs).</summary>
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
            await foreach (var _ in store.WatchAsync(prefix, afterRevision, ct)) onChange();
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
