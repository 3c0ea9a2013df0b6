using System.Text.RegularExpressions;
using Dm.Core.Api;

namespace Dm.Master.Tasks;

/// <summary>
/// Which upstream tables of one source a task migrates, and to where: its <c>table_migrate_rule</c>s
/// for that source, read as DM converts them (the source patterns form the block-allow list, a target
/// makes a route). Patterns are DM's wildcards: <c>*</c> any run, <c>?</c> one character.
/// </summary>
public sealed class TaskTableMapping
{
    private readonly List<(Regex Schema, Regex? Table, TaskTableMigrateRuleTarget? Target)> _rules;

    public TaskTableMapping(DmTask task, string source, bool caseSensitive)
    {
        var options = caseSensitive ? RegexOptions.None : RegexOptions.IgnoreCase;
        _rules = task.TableMigrateRule
            .Where(r => r.Source.SourceName == source)
            .Select(r => (Wildcard(r.Source.Schema, options),
                string.IsNullOrEmpty(r.Source.Table) ? null : Wildcard(r.Source.Table, options), r.Target))
            .ToList();
    }

    /// <summary>Whether any table of the schema may be migrated.</summary>
    public bool AllowsSchema(string schema) => _rules.Count == 0 ? !IsSystemSchema(schema) : _rules.Any(r => r.Schema.IsMatch(schema));

    public bool AllowsTable(string schema, string table) => Rule(schema, table) != null || (_rules.Count == 0 && !IsSystemSchema(schema));

    /// <summary>The target schema and table of an allowed table (unchanged names where the rule has no target).</summary>
    public (string Schema, string Table) Target(string schema, string table)
    {
        var rule = Rule(schema, table);
        var target = rule?.Target;
        return (string.IsNullOrEmpty(target?.Schema) ? schema : target.Schema,
            string.IsNullOrEmpty(target?.Table) ? table : target.Table);
    }

    private (Regex Schema, Regex? Table, TaskTableMigrateRuleTarget? Target)? Rule(string schema, string table)
    {
        foreach (var r in _rules)
            if (r.Schema.IsMatch(schema) && (r.Table == null || r.Table.IsMatch(table))) return r;
        return null;
    }

    /// <summary>DM never migrates the server's own schemas.</summary>
    public static bool IsSystemSchema(string schema) =>
        schema.Equals("mysql", StringComparison.OrdinalIgnoreCase) || schema.Equals("information_schema", StringComparison.OrdinalIgnoreCase)
        || schema.Equals("performance_schema", StringComparison.OrdinalIgnoreCase) || schema.Equals("sys", StringComparison.OrdinalIgnoreCase);

    public static Regex Wildcard(string pattern, RegexOptions options) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", options | RegexOptions.CultureInvariant);
}
