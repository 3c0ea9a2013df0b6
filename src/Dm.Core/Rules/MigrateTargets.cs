namespace Dm.Core.Rules;

/// <summary>
/// Answers GET /tasks/{t}/sources/{s}/migrate_targets: the upstream tables a subtask migrates (block-allow
/// list) and where each goes (router), optionally narrowed by wildcard schema/table patterns.
/// </summary>
public static class MigrateTargets
{
    public sealed record Target(string SourceSchema, string SourceTable, string TargetSchema, string TargetTable);

    /// <param name="upstreamTables">Tables that exist upstream (or in the schema tracker).</param>
    /// <param name="schemaPattern">Wildcard pattern ('*', '?', [..]) on the source schema; null or "" = all.</param>
    /// <param name="tablePattern">Wildcard pattern on the source table; null or "" = all.</param>
    public static List<Target> Compute(
        BlockAllowListFilter filter, TableRouter router, IEnumerable<(string Schema, string Table)> upstreamTables,
        string? schemaPattern, string? tablePattern)
    {
        var narrow = new WildcardTrie<object>();
        var marker = new object();
        narrow.Insert(string.IsNullOrEmpty(schemaPattern) ? "*" : schemaPattern, string.IsNullOrEmpty(tablePattern) ? "*" : tablePattern, marker, appendToExisting: true);
        var result = new List<Target>();
        foreach (var (schema, table) in upstreamTables)
        {
            if (!filter.Match(schema, table) || narrow.Match(schema, table).Count == 0)
                continue;
            var (targetSchema, targetTable) = router.Route(schema, table);
            result.Add(new Target(schema, table, targetSchema, targetTable));
        }
        return result;
    }
}
