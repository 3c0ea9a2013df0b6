using System.Collections.Concurrent;

namespace Dm.Core.Rules;

/// <summary>
/// Per-name results of a rule engine. A binlog stream repeats the same few table names endlessly, so
/// answers are memoised; the cache is simply emptied when it grows past its bound. Thread-safe.
/// </summary>
internal sealed class NameCache<TValue>
{
    private const int MaxEntries = 16384;

    private readonly ConcurrentDictionary<(string Schema, string Table), TValue> _entries = new();
    // ConcurrentDictionary.Count takes every lock; an approximate counter is enough for the bound.
    private int _added;

    public TValue GetOrAdd(string schema, string table, Func<string, string, TValue> compute)
    {
        if (_entries.TryGetValue((schema, table), out var value))
            return value;
        value = compute(schema, table);
        if (Interlocked.Increment(ref _added) > MaxEntries)
        {
            Interlocked.Exchange(ref _added, 0);
            _entries.Clear();
        }
        _entries[(schema, table)] = value;
        return value;
    }

    public void Clear()
    {
        Interlocked.Exchange(ref _added, 0);
        _entries.Clear();
    }
}
