using System.Text;
using System.Text.RegularExpressions;

namespace Dm.Core.Rules;

/// <summary>
/// DM's table router: maps an upstream schema/table to its downstream name. Table-level rules
/// (table-pattern set) win over schema-level rules; more than one matching rule of the winning level
/// is an ambiguity error; an empty target schema/table keeps the original name. In case-insensitive
/// mode patterns and names are compared lowercased but unrouted names keep their original case.
/// </summary>
public sealed class TableRouter
{
    private readonly WildcardTrie<Compiled> _trie = new();
    private readonly bool _caseSensitive;
    private readonly NameCache<Compiled?> _selected = new();

    public TableRouter(IEnumerable<RouteRule> rules, bool caseSensitive)
    {
        _caseSensitive = caseSensitive;
        foreach (var rule in rules)
        {
            if (rule.SchemaPattern.Length == 0)
                throw new ArgumentException("schema pattern of table route rule should not be empty");
            var schemaPattern = caseSensitive ? rule.SchemaPattern : rule.SchemaPattern.ToLowerInvariant();
            var tablePattern = caseSensitive ? rule.TablePattern : rule.TablePattern.ToLowerInvariant();
            _trie.Insert(schemaPattern, tablePattern, new Compiled(rule,
                Compile(rule.ExtractTable?.TableRegexp), Compile(rule.ExtractSchema?.SchemaRegexp), Compile(rule.ExtractSource?.SourceRegexp)),
                appendToExisting: false);
        }
    }

    /// <summary>The downstream schema and table for an upstream one (table may be empty for schema-level events).</summary>
    public (string Schema, string Table) Route(string schema, string table)
    {
        var rule = Select(schema, table);
        var targetSchema = rule?.Rule.TargetSchema ?? "";
        var targetTable = rule?.Rule.TargetTable ?? "";
        return (targetSchema.Length == 0 ? schema : targetSchema, targetTable.Length == 0 ? table : targetTable);
    }

    /// <summary>
    /// Extra downstream columns filled from the names (extract-table/-schema/-source of the rule that
    /// routes this table): each value is the concatenation of the regexp's capture groups.
    /// </summary>
    public (List<string> Columns, List<string> Values) ExtendColumns(string schema, string table, string sourceId)
    {
        var columns = new List<string>();
        var values = new List<string>();
        var rule = Select(schema, table);
        if (rule is null)
            return (columns, values);
        Add(rule.Rule.ExtractTable?.TargetColumn, rule.TableRegex, table);
        Add(rule.Rule.ExtractSchema?.TargetColumn, rule.SchemaRegex, schema);
        Add(rule.Rule.ExtractSource?.TargetColumn, rule.SourceRegex, sourceId);
        return (columns, values);

        void Add(string? column, Regex? regex, string input)
        {
            if (column is null || regex is null)
                return;
            columns.Add(column);
            var m = regex.Match(input);
            var sb = new StringBuilder();
            for (var g = 1; m.Success && g < m.Groups.Count; g++)
                sb.Append(m.Groups[g].Value);
            values.Add(sb.ToString());
        }
    }

    // Ambiguity errors are not cached: they are thrown again on every call.
    private Compiled? Select(string schema, string table) => _selected.GetOrAdd(schema, table, SelectUncached);

    private Compiled? SelectUncached(string schema, string table)
    {
        var s = _caseSensitive ? schema : schema.ToLowerInvariant();
        var t = _caseSensitive ? table : table.ToLowerInvariant();
        var matched = _trie.Match(s, t);
        var schemaRules = matched.Where(r => r.Rule.TablePattern.Length == 0).ToList();
        var tableRules = matched.Where(r => r.Rule.TablePattern.Length > 0).ToList();
        if (table.Length == 0 || tableRules.Count == 0)
        {
            if (schemaRules.Count > 1)
                throw new AmbiguousRouteException($"`{schema}`.`{table}` matches {schemaRules.Count} schema route rules which is more than one. It's ambiguous, please check your route rules");
            return schemaRules.FirstOrDefault();
        }
        if (tableRules.Count > 1)
            throw new AmbiguousRouteException($"`{schema}`.`{table}` matches {tableRules.Count} table route rules which is more than one. It's ambiguous, please check your route rules");
        return tableRules[0];
    }

    private static Regex? Compile(string? pattern) =>
        pattern is null ? null : new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private sealed record Compiled(RouteRule Rule, Regex? TableRegex, Regex? SchemaRegex, Regex? SourceRegex);
}

/// <summary>A name matched by more than one route rule of the same level.</summary>
public sealed class AmbiguousRouteException(string message) : Exception(message);
