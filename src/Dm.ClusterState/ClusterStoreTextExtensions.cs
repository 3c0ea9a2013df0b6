using System.Text;

namespace Dm.ClusterState;

/// <summary>UTF-8 string values over the byte[] API (DM's values are JSON/YAML text).</summary>
public static class ClusterStoreTextExtensions
{
    public static Task<long> PutAsync(this IClusterStore store, string key, string value, long leaseId = 0, CancellationToken ct = default)
        => store.PutAsync(key, Encoding.UTF8.GetBytes(value), leaseId, ct);

    /// <summary>The key's value as text, or null when the key does not exist.</summary>
    public static async Task<string?> GetStringAsync(this IClusterStore store, string key, CancellationToken ct = default)
        => (await store.GetAsync(key, ct).ConfigureAwait(false)).Kv?.ValueString;
}
