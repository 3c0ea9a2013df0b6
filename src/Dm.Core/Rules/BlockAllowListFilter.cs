using System.Text.RegularExpressions;

namespace Dm.Core.Rules;

/// <summary>
/// DM's block-allow list (MySQL replication-rule style). A table passes when its schema passes and the
/// table passes:
/// schema — with do-dbs it must match one of them, otherwise it must match no ignore-dbs;
/// table — a do-tables match passes, else an ignore-tables match fails, else it passes only when
/// do-tables is empty. Schema-only events (empty table) are judged on the schema alone.
/// Case-insensitive mode lowercases names and rules; "~regex" patterns match anywhere in the name.
/// </summary>
public sealed class BlockAllowListFilter
{
    private readonly BlockAllowListRules? _rules;
    private readonly bool _caseSensitive;
    private readonly WildcardTrie<Entry> _trie = new();
    private readonly Dictionary<string, Regex> _regexes = new(StringComparer.Ordinal);
    private readonly NameCache<bool> _results = new();

    /// <param name="rules">null or empty lets everything through.</param>
    public BlockAllowListFilter(BlockAllowListRules? rules, bool caseSensitive)
    {
        _caseSensitive = caseSensitive;
        if (rules is null)
            return;
        _rules = caseSensitive ? rules : Lowered(rules);
        foreach (var db in _rules.DoDbs)
            AddSchemaRule(db, allow: true, "DoDB");
        foreach (var t in _rules.DoTables)
            AddTableRule(t, allow: true, "DoTables");
        foreach (var db in _rules.IgnoreDbs)
            AddSchemaRule(db, allow: false, "IgnoreDB");
        foreach (var t in _rules.IgnoreTables)
            AddTableRule(t, allow: false, "IgnoreTables");
    }

    /// <summary>True when the table (or, with an empty table name, the schema) should be migrated.</summary>
    public bool Match(string schema, string table)
    {
        if (_rules is null)
            return true;
        return _results.GetOrAdd(schema, table, (s, t) =>
        {
            if (!_caseSensitive)
            {
                s = s.ToLowerInvariant();
                t = t.ToLowerInvariant();
            }
            return SchemaPasses(s) && TablePasses(s, t);
        });
    }

    /// <summary>The tables that pass, in input order.</summary>
    public IEnumerable<(string Schema, string Table)> Apply(IEnumerable<(string Schema, string Table)> tables) =>
        tables.Where(t => Match(t.Schema, t.Table));

    private bool SchemaPasses(string schema)
    {
        if (_rules!.DoDbs.Count > 0)
            return MatchDb(_rules.DoDbs, schema, allow: true);
        if (_rules.IgnoreDbs.Count > 0)
            return !MatchDb(_rules.IgnoreDbs, schema, allow: false);
        return true;
    }

    private bool TablePasses(string schema, string table)
    {
        if (table.Length == 0)
            return true;
        if (_rules!.DoTables.Count > 0 && MatchTable(_rules.DoTables, schema, table, allow: true))
            return true;
        if (_rules.IgnoreTables.Count > 0 && MatchTable(_rules.IgnoreTables, schema, table, allow: false))
            return false;
        return _rules.DoTables.Count == 0;
    }

    private bool MatchDb(List<string> patterns, string schema, bool allow)
    {
        foreach (var p in patterns)
        {
            if (p.StartsWith('~') && _regexes[p[1..]].IsMatch(schema))
                return true;
        }
        return _trie.Match(schema, "").Any(e => e.Kind == Kind.Db && e.Allow == allow);
    }

    private bool MatchTable(List<TablePattern> patterns, string schema, string table, bool allow)
    {
        foreach (var p in patterns)
        {
            bool dbRegex = p.DbName.StartsWith('~'), tblRegex = p.TblName.StartsWith('~');
            if (dbRegex && tblRegex)
            {
                if (_regexes[p.DbName[1..]].IsMatch(schema) && _regexes[p.TblName[1..]].IsMatch(table))
                    return true;
            }
            else if (dbRegex)
            {
                if (!_regexes[p.DbName[1..]].IsMatch(schema))
                    continue;
                if (_trie.Match(table, "").Any(e => e.Kind == Kind.OnlyTablePart && e.Allow == allow))
                    return true;
            }
            if (_trie.Match(schema, "").Any(e => e.Kind == Kind.OnlyDbPart && e.Allow == allow && e.TableRegex!.IsMatch(table)))
                return true;
            if (_trie.Match(schema, table).Any(e => e.Kind == Kind.Full && e.Allow == allow))
                return true;
        }
        return false;
    }

    private void AddSchemaRule(string db, bool allow, string what)
    {
        if (db.Length == 0)
            throw new ArgumentException($"{what} rule's DB string cannot be empty");
        if (db.StartsWith('~'))
            AddRegex(db[1..]);
        else
            _trie.Insert(db, "", new Entry(Kind.Db, allow, null), appendToExisting: true);
    }

    private void AddTableRule(TablePattern t, bool allow, string what)
    {
        if (t.DbName.Length == 0 || t.TblName.Length == 0)
            throw new ArgumentException($"{what} rule's DB string or Table string cannot be empty");
        bool dbRegex = t.DbName.StartsWith('~'), tblRegex = t.TblName.StartsWith('~');
        if (dbRegex)
            AddRegex(t.DbName[1..]);
        if (tblRegex)
            AddRegex(t.TblName[1..]);
        if (dbRegex && !tblRegex)
            _trie.Insert(t.TblName, "", new Entry(Kind.OnlyTablePart, allow, null), appendToExisting: true);
        else if (!dbRegex && tblRegex)
            _trie.Insert(t.DbName, "", new Entry(Kind.OnlyDbPart, allow, _regexes[t.TblName[1..]]), appendToExisting: true);
        else if (!dbRegex)
            _trie.Insert(t.DbName, t.TblName, new Entry(Kind.Full, allow, null), appendToExisting: true);
    }

    private void AddRegex(string pattern)
    {
        if (_regexes.ContainsKey(pattern))
            return;
        var options = _caseSensitive ? RegexOptions.None : RegexOptions.IgnoreCase;
        _regexes[pattern] = new Regex(pattern, options | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    private static BlockAllowListRules Lowered(BlockAllowListRules r) => new()
    {
        DoDbs = r.DoDbs.Select(d => d.ToLowerInvariant()).ToList(),
        IgnoreDbs = r.IgnoreDbs.Select(d => d.ToLowerInvariant()).ToList(),
        DoTables = r.DoTables.Select(t => new TablePattern(t.DbName.ToLowerInvariant(), t.TblName.ToLowerInvariant())).ToList(),
        IgnoreTables = r.IgnoreTables.Select(t => new TablePattern(t.DbName.ToLowerInvariant(), t.TblName.ToLowerInvariant())).ToList(),
    };

    private enum Kind
    {
        Db,
        Full,
        OnlyDbPart,
        OnlyTablePart,
    }

    private sealed record Entry(Kind Kind, bool Allow, Regex? TableRegex);
}
