using Dm.Core.Rules;
using Dm.Sql.Ast;

namespace Dm.Worker.Sync.Planning;

/// <summary>
/// The per-table decisions a rows event needs (allowed? online-DDL table? event filter verdict? target name?),
/// computed once per table and kind: rules only change with the task config, which makes a new run.
/// </summary>
internal sealed class RowEventRules(BlockAllowListFilter filter, BinlogEventFilter events, TableRouter router, DdlPlanner ddl)
{
    private readonly Dictionary<(string Schema, string Table, string Type), (FilterAction Action, TableName Target)> _decisions = [];

    public (FilterAction Action, TableName Target) Decide(string schema, string table, string type)
    {
        if (_decisions.TryGetValue((schema, table, type), out var decision)) return decision;
        FilterAction action;
        if (!filter.Match(schema, table) || ddl.IsOnlineDdlTable(table)) action = FilterAction.Ignore;
        else action = events.Filter(schema, table, type, "");
        var (targetSchema, targetTable) = router.Route(schema, table);
        decision = (action, new TableName(targetSchema, targetTable));
        if (_decisions.Count > 100_000) _decisions.Clear();
        _decisions[(schema, table, type)] = decision;
        return decision;
    }
}
