using System.Text.RegularExpressions;

namespace Dm.Core.Rules;

/// <summary>What to do with a binlog event.</summary>
public enum FilterAction
{
    Do,
    Ignore,
    Error,
}

/// <summary>
/// DM's binlog event filter. For an event on schema.table, the rules whose patterns match are tried in
/// DM's order; for each rule: when the event type is classified, a listed event with action Ignore or
/// Error decides, an unlisted event under a Do rule is ignored; then, for statements with text, the
/// sql-pattern regexes (case-insensitive, anywhere) do the same. No decision means Do.
/// </summary>
public sealed class BinlogEventFilter
{
    private readonly WildcardTrie<Compiled> _trie = new();
    private readonly bool _caseSensitive;

    public BinlogEventFilter(IEnumerable<BinlogEventRule> rules, bool caseSensitive)
    {
        _caseSensitive = caseSensitive;
        foreach (var rule in rules)
        {
            var compiled = Compile(rule);
            var schema = caseSensitive ? rule.SchemaPattern : rule.SchemaPattern.ToLowerInvariant();
            var table = caseSensitive ? rule.TablePattern : rule.TablePattern.ToLowerInvariant();
            // DM silently drops a second rule on the same patterns (which the OpenAPI produces when a table
            // rule names two binlog filters); we keep all of them and try them in order.
            _trie.Insert(schema, table, compiled, appendToExisting: true);
        }
    }

    /// <param name="eventType">A <see cref="BinlogEventTypes"/> name, or "" when the statement's type is unknown.</param>
    /// <param name="rawQuery">The statement text for DDL/query events, "" for row events.</param>
    public FilterAction Filter(string schema, string table, string eventType, string rawQuery)
    {
        var eventClass = BinlogEventTypes.Classify(eventType);
        if (!_caseSensitive)
        {
            schema = schema.ToLowerInvariant();
            table = table.ToLowerInvariant();
        }
        foreach (var rule in _trie.Match(schema, table))
        {
            if (eventClass != EventClass.Null)
            {
                if (MatchEvent(eventClass, eventType, rule.Events))
                {
                    if (rule.Action != FilterAction.Do)
                        return rule.Action;
                }
                else if (rule.Action == FilterAction.Do)
                    return FilterAction.Ignore;
            }
            if (rawQuery.Length > 0 && rule.Sql is not null)
            {
                if (rule.Sql.IsMatch(rawQuery))
                {
                    if (rule.Action != FilterAction.Do)
                        return rule.Action;
                }
                else if (rule.Action == FilterAction.Do)
                    return FilterAction.Ignore;
            }
        }
        return FilterAction.Do;
    }

    private static bool MatchEvent(EventClass eventClass, string eventType, List<string> ruleEvents)
    {
        foreach (var e in ruleEvents)
        {
            if (e == BinlogEventTypes.All)
                return true;
            if (e == BinlogEventTypes.None)
                return false;
            if (eventClass is EventClass.Ddl or EventClass.IncompatibleDdl)
            {
                if (e == BinlogEventTypes.AllDdl)
                    return true;
                if (e == BinlogEventTypes.NoneDdl)
                    return false;
            }
            if (eventClass == EventClass.Dml)
            {
                if (e == BinlogEventTypes.AllDml)
                    return true;
                if (e == BinlogEventTypes.NoneDml)
                    return false;
            }
            if (eventClass == EventClass.IncompatibleDdl && e == BinlogEventTypes.IncompatibleDdlChanges)
                return true;
            if (e == eventType)
                return true;
        }
        return false;
    }

    private static Compiled Compile(BinlogEventRule rule)
    {
        if (rule.SchemaPattern.Length == 0)
            throw new ArgumentException("schema-pattern of binlog event rule should not be empty");
        var action = rule.Action switch
        {
            "Do" or "do" => FilterAction.Do,
            "Ignore" or "ignore" => FilterAction.Ignore,
            "Error" or "error" => FilterAction.Error,
            _ => throw new ArgumentException($"action of binlog event rule ({rule.SchemaPattern}.{rule.TablePattern}) must be Do, Ignore or Error, got \"{rule.Action}\""),
        };
        var events = new List<string>();
        foreach (var e in rule.Events)
        {
            var lowered = BinlogEventTypes.Normalize(e);
            if (!BinlogEventTypes.IsValidRuleEvent(lowered))
                throw new ArgumentException($"event type {e} not valid");
            events.Add(lowered);
        }
        Regex? sql = null;
        if (rule.SqlPattern.Count > 0)
        {
            sql = new Regex(string.Join("|", rule.SqlPattern), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        return new Compiled(action, events, sql);
    }

    private sealed record Compiled(FilterAction Action, List<string> Events, Regex? Sql);
}
