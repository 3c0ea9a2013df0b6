namespace Dm.TestKit.Workloads;

/// <summary>
/// Keys one connection has written to a table, to aim updates and deletes at rows that probably exist.
/// Bounded: the oldest keys are forgotten; a key whose row is gone just makes a statement match nothing.
/// </summary>
public sealed class KeyPool(int capacity = 4096)
{
    private readonly List<long> _keys = [];

    public void Add(long key)
    {
        if (_keys.Count >= capacity) _keys.RemoveAt(0);
        _keys.Add(key);
    }

    public void Replace(long old, long key)
    {
        var index = _keys.IndexOf(old);
        if (index >= 0) _keys[index] = key;
        else Add(key);
    }

    /// <summary>A remembered key, or any key below <paramref name="allocated"/> (seeded rows, other connections' rows).</summary>
    public long Pick(Random random, long allocated) =>
        _keys.Count > 0 && random.Chance(0.8) ? _keys[random.Next(_keys.Count)] : random.NextInt64(1, Math.Max(2, allocated));
}
