namespace Dm.Core.Rules;

/// <summary>
/// Schema/table wildcard selector with DM's semantics (tidb table-rule-selector): '*' matches any
/// suffix and must be the last character of a pattern, '?' matches one character, '[a-z]' / '[!abc]'
/// match a character class. <see cref="Match"/> returns rules in DM's order: schema-level rules first,
/// then table-level rules of every matching schema pattern, shorter '*' prefixes before longer ones.
/// </summary>
public sealed class WildcardTrie<T> where T : class
{
    private readonly Node _root = new();
    private readonly NameCache<List<T>> _cache = new();

    /// <summary>Adds a rule at schema level (table pattern empty) or table level.</summary>
    /// <param name="appendToExisting">false rejects a second rule on the same patterns, like DM's Insert mode.</param>
    public void Insert(string schemaPattern, string tablePattern, T rule, bool appendToExisting)
    {
        if (schemaPattern.Length == 0)
            throw new ArgumentException($"schema pattern {schemaPattern} of rule can't be empty");
        Item target;
        if (tablePattern.Length == 0)
            target = Walk(_root, schemaPattern);
        else
        {
            var schema = Walk(_root, schemaPattern);
            schema.NextLevel ??= new Node();
            target = Walk(schema.NextLevel, tablePattern);
        }
        if (!appendToExisting && target.Rules.Count > 0)
            throw new ArgumentException($"pattern {schemaPattern}.{tablePattern} already exists");
        target.Rules.Add(rule);
        _cache.Clear();
    }

    /// <summary>
    /// All rules whose patterns match; an empty table name matches only "*"-style table patterns.
    /// Safe for concurrent readers once all rules are inserted; do not modify the returned list.
    /// </summary>
    public IReadOnlyList<T> Match(string schema, string table)
    {
        return _cache.GetOrAdd(schema, table, MatchUncached);
    }

    private List<T> MatchUncached(string schema, string table)
    {
        var schemaResult = new Result();
        MatchNode(_root, schema, schemaResult);
        var rules = new List<T>(schemaResult.Rules);
        foreach (var tableLevel in schemaResult.Nodes)
        {
            var tableResult = new Result();
            MatchNode(tableLevel, table, tableResult);
            rules.AddRange(tableResult.Rules);
        }
        return rules;
    }

    private static Item Walk(Node start, string pattern)
    {
        var n = start;
        Item? entity = null;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*')
            {
                if (i != pattern.Length - 1)
                    throw new ArgumentException($"pattern {pattern} not valid: '*' must be the last character");
                entity = n.Asterisk ??= new Item();
            }
            else if (c == '?')
                entity = n.Question ??= new Item();
            else if (c == '[' && CharRange.TryParse(pattern, i, out var range, out var end))
            {
                var existing = n.Ranges.FirstOrDefault(r => r.Range.SameAs(range));
                if (existing is null)
                {
                    existing = new RangeItem(range);
                    n.Ranges.Add(existing);
                }
                entity = existing;
                i = end;
            }
            else
            {
                if (!n.Chars.TryGetValue(c, out entity))
                    n.Chars[c] = entity = new Item();
            }
            n = entity.Child ??= new Node();
        }
        return entity ?? throw new ArgumentException("empty pattern");
    }

    private static void MatchNode(Node? n, string s, Result result)
    {
        if (n is null)
            return;
        Item? entity = null;
        for (var i = 0; i < s.Length; i++)
        {
            var last = i == s.Length - 1;
            if (n.Asterisk is not null)
                result.Add(n.Asterisk);
            if (n.Question is not null)
            {
                if (last)
                    result.Add(n.Question);
                MatchNode(n.Question.Child, s[(i + 1)..], result);
            }
            foreach (var r in n.Ranges)
            {
                if (!r.Range.Matches(s[i]))
                    continue;
                if (last)
                    result.Add(r);
                MatchNode(r.Child, s[(i + 1)..], result);
            }
            if (!n.Chars.TryGetValue(s[i], out entity))
                return;
            n = entity.Child!;
        }
        if (entity is not null)
            result.Add(entity);
        if (n.Asterisk is not null)
            result.Add(n.Asterisk);
    }

    private sealed class Node
    {
        public Dictionary<char, Item> Chars { get; } = [];
        public Item? Asterisk { get; set; }
        public Item? Question { get; set; }
        public List<RangeItem> Ranges { get; } = [];
    }

    private class Item
    {
        public Node? Child { get; set; }
        public List<T> Rules { get; } = [];
        public Node? NextLevel { get; set; }
    }

    private sealed class RangeItem(CharRange range) : Item
    {
        public CharRange Range { get; } = range;
    }

    private sealed class Result
    {
        public List<T> Rules { get; } = [];
        public List<Node> Nodes { get; } = [];

        public void Add(Item item)
        {
            Rules.AddRange(item.Rules);
            if (item.NextLevel is not null)
                Nodes.Add(item.NextLevel);
        }
    }
}
