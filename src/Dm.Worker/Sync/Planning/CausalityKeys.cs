using System.Text;
using Dm.Sql.Tracking;

namespace Dm.Worker.Sync.Planning;

/// <summary>
/// The keys a row change touches on its target table: one per primary/unique key whose values are all
/// non-null, else the table itself. Two changes with a common key must apply in binlog order; others
/// may run on different connections. Text is compared loosely (case and trailing spaces folded), which can
/// only make more changes conflict, never fewer.
/// </summary>
internal static class CausalityKeys
{
    public static void Add(List<string> keys, string targetTable, TableInfo table, object?[]? row)
    {
        if (row is null) return;
        var added = false;
        if (table.PrimaryKey is { } pk) added |= TryAdd(keys, targetTable, pk, table, row);
        foreach (var uk in table.UniqueKeys) added |= TryAdd(keys, targetTable, uk, table, row);
        if (added) return;
        // No usable key: every change of the table is keyed on the table itself, so one writer applies them in order.
        // Keyless UPDATE/DELETE scan the whole table; concurrent scans on several connections only wait on each other's locks.
        keys.Add(targetTable);
    }

    private static bool TryAdd(List<string> keys, string targetTable, IndexInfo index, TableInfo table, object?[] row)
    {
        if (Of(targetTable, index, table, row) is not { } key) return false;
        keys.Add(key);
        return true;
    }

    /// <summary>The key <paramref name="row"/> has in <paramref name="index"/>; null when a part is NULL or not a column.</summary>
    public static string? Of(string targetTable, IndexInfo index, TableInfo table, object?[] row)
    {
        var sb = new StringBuilder(targetTable, targetTable.Length + 32).Append('\u0001').Append(index.Name).Append('\u0001');
        foreach (var name in index.Columns)
        {
            if (name is null) return null; // expression part: cannot key on it
            var column = table.Column(name);
            if (column is null || column.Ordinal >= row.Length) return null;
            var value = row[column.Ordinal];
            if (value is null) return null;
            // Text logged without charset metadata arrives as bytes; fold it like text so case variants still conflict.
            if (value is byte[] bytes && column.Charset is { } charset && !charset.Equals("binary", StringComparison.OrdinalIgnoreCase))
                value = Encoding.UTF8.GetString(bytes);
            Append(sb, value);
        }
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null: sb.Append("\u0002N"); break;
            case string s: sb.Append(s.TrimEnd(' ').ToLowerInvariant()); break;
            case byte[] b: sb.Append(Convert.ToHexString(b)); break;
            case IFormattable f: sb.Append(f.ToString(null, System.Globalization.CultureInfo.InvariantCulture)); break;
            default: sb.Append(value); break;
        }
        sb.Append('\u0003');
    }
}
