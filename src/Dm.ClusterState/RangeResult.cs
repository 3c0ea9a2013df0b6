namespace Dm.ClusterState;

/// <summary>Keys read at one store revision (sorted by key, byte order).</summary>
public sealed record RangeResult(IReadOnlyList<KeyValue> Kvs, long Revision)
{
    /// <summary>The single key of a point read, or null when it does not exist.</summary>
    public KeyValue? Kv => Kvs.Count > 0 ? Kvs[0] : null;
}
