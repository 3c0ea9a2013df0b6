namespace Dm.Sql.Dml;

/// <summary>Rows grouped by exactly equal values (byte arrays by content), in order of first appearance, with how many there were.</summary>
internal static class IdenticalRows
{
    public static IReadOnlyList<(IReadOnlyList<object?> Row, int Count)> Count(IEnumerable<IReadOnlyList<object?>> rows)
    {
        var counts = new Dictionary<IReadOnlyList<object?>, int>(RowComparer.Instance);
        var order = new List<IReadOnlyList<object?>>();
        foreach (var row in rows)
        {
            if (counts.TryGetValue(row, out var n)) counts[row] = n + 1;
            else
            {
                counts[row] = 1;
                order.Add(row);
            }
        }
        return [.. order.Select(r => (r, counts[r]))];
    }

    private sealed class RowComparer : IEqualityComparer<IReadOnlyList<object?>>
    {
        public static readonly RowComparer Instance = new();

        public bool Equals(IReadOnlyList<object?>? x, IReadOnlyList<object?>? y)
        {
            if (ReferenceEquals(x, y)) return true;
            if (x is null || y is null || x.Count != y.Count) return false;
            for (var i = 0; i < x.Count; i++)
                if (!ValueEquals(x[i], y[i])) return false;
            return true;
        }

        public int GetHashCode(IReadOnlyList<object?> row)
        {
            var hash = new HashCode();
            foreach (var value in row)
                if (value is byte[] bytes) hash.AddBytes(bytes);
                else hash.Add(value);
            return hash.ToHashCode();
        }

        // Same type and same value only: 1 and 1L, or text differing in case, stay apart (each still deletes its own copies).
        private static bool ValueEquals(object? a, object? b) => (a, b) switch
        {
            (null, null) => true,
            (byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y),
            (null, _) or (_, null) => false,
            _ => a.GetType() == b.GetType() && a.Equals(b),
        };
    }
}
