using Dm.Core.Api;

namespace Dm.Ctl.TaskFiles;

/// <summary>
/// DM's task.yaml → OpenAPI conversion names every filter of a source separately and attaches all of them to
/// every migrate rule of that source. Identical filters then land on the same schema/table pattern several
/// times, which the event filter refuses ("pattern already exists") — e.g. when a task exported as YAML is
/// imported again. Filters with the same content are one filter; this keeps one name per content.
/// </summary>
public static class FilterRuleMerger
{
    public static DmTask Merge(DmTask task)
    {
        if (task.BinlogFilterRule is not { Count: > 1 } rules) return task;
        var canonical = new Dictionary<string, string>(StringComparer.Ordinal);
        var byContent = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, rule) in rules)
        {
            var key = string.Join("\u0001", rule.IgnoreEvent ?? []) + "\u0002" + string.Join("\u0001", rule.IgnoreSql ?? []);
            canonical[name] = byContent.TryGetValue(key, out var first) ? first : byContent[key] = name;
        }
        if (byContent.Count == rules.Count) return task;
        var kept = new SortedDictionary<string, TaskBinLogFilterRule>(StringComparer.Ordinal);
        foreach (var name in byContent.Values) kept[name] = rules[name];
        return task with
        {
            BinlogFilterRule = kept,
            TableMigrateRule = task.TableMigrateRule.Select(r => r with
            {
                BinlogFilterRule = r.BinlogFilterRule?.Select(n => canonical.GetValueOrDefault(n, n)).Distinct(StringComparer.Ordinal).ToList(),
            }).ToList(),
        };
    }
}
