namespace Dm.Worker.Load;

/// <summary>
/// Plain secondary indexes (<c>KEY</c> lines of SHOW CREATE TABLE) that a fresh target table is created without
/// and gets back in one ALTER TABLE once its rows are loaded: building an index by sorting costs the target far
/// less than inserting rows in random key order into it (myloader's --innodb-optimize-keys). Primary and unique
/// keys stay (they decide duplicates), and so does every key a foreign key or an AUTO_INCREMENT column may need.
/// The indexes are put back in their original order, so SHOW CREATE TABLE ends up equal to the source's.
/// </summary>
public static class DeferredIndexes
{
    private const string KeyLinePrefix = "  KEY `";

    /// <summary>The CREATE TABLE without its deferrable KEY lines, and those lines (without trailing commas); no keys when nothing may be deferred.</summary>
    public static (string CreateTableSql, IReadOnlyList<string> Keys) Split(string createTableSql)
    {
        var lines = createTableSql.Split('\n');
        var close = Array.FindLastIndex(lines, l => l.StartsWith(')'));
        if (lines.Length < 3 || !lines[0].EndsWith('(') || close < 2
            || createTableSql.Contains("FOREIGN KEY", StringComparison.Ordinal) || createTableSql.Contains("REFERENCES", StringComparison.Ordinal))
            return (createTableSql, []);
        var elements = lines[1..close].Select(l => l.TrimEnd(',')).ToList();
        var autoIncrement = elements.FirstOrDefault(e => e.StartsWith("  `", StringComparison.Ordinal) && e.Contains(" AUTO_INCREMENT", StringComparison.Ordinal));
        var autoColumn = autoIncrement is null ? null : autoIncrement[2..(autoIncrement.IndexOf("` ", StringComparison.Ordinal) + 1)];
        var keys = elements.Where(e => e.StartsWith(KeyLinePrefix, StringComparison.Ordinal)
            && (autoColumn is null || !e.Contains("(" + autoColumn, StringComparison.Ordinal))).ToList();
        if (keys.Count == 0)
            return (createTableSql, []);
        var kept = elements.Where(e => !keys.Contains(e));
        var stripped = lines[0] + "\n" + string.Join(",\n", kept) + "\n" + string.Join("\n", lines[close..]);
        return (stripped, keys);
    }

    /// <summary>The index name of a KEY line (unquoted).</summary>
    public static string Name(string keyLine)
    {
        var start = KeyLinePrefix.Length;
        var name = new System.Text.StringBuilder();
        for (var i = start; i < keyLine.Length; i++)
        {
            if (keyLine[i] != '`') { name.Append(keyLine[i]); continue; }
            if (i + 1 < keyLine.Length && keyLine[i + 1] == '`') { name.Append('`'); i++; continue; }
            return name.ToString();
        }
        throw new FormatException("not a KEY line: " + keyLine);
    }

    /// <summary>The ALTER TABLE clause list that adds the given KEY lines back.</summary>
    public static string AddClauses(IEnumerable<string> keyLines) => string.Join(", ", keyLines.Select(k => "ADD " + k.Trim()));
}
