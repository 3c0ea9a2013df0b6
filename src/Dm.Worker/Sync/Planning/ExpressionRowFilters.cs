using System.Runtime.CompilerServices;
using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Sql.Expressions;
using Dm.Sql.Tracking;

namespace Dm.Worker.Sync.Planning;

/// <summary>
/// DM's expression filters in Sync (task.yaml <c>expression-filter</c>): per upstream table, the rules that drop row changes
/// whose values make their expression true — inserts by <c>insert-value-expr</c>, deletes by <c>delete-value-expr</c>, updates
/// when <c>update-old-value-expr</c> holds for the old row and <c>update-new-value-expr</c> for the new one (each of the two that
/// is given). Expressions are parsed once and bound to each structure of the table (again after a DDL changes it); a column
/// the table does not have stops Sync with DM's 20041.
/// </summary>
internal sealed class ExpressionRowFilters
{
    private readonly Dictionary<(string Schema, string Table), List<(ExpressionFilter Rule, Parsed Parsed)>> _byTable;
    private readonly ConditionalWeakTable<TableInfo, TableRowFilter> _bound = new();
    private readonly bool _caseSensitive;

    private ExpressionRowFilters(Dictionary<(string, string), List<(ExpressionFilter, Parsed)>> byTable, bool caseSensitive)
    {
        _byTable = byTable;
        _caseSensitive = caseSensitive;
    }

    /// <summary>The subtask's filters; null when it has none (Sync then looks nothing up per row).</summary>
    public static ExpressionRowFilters? Of(SubTaskConfig config)
    {
        if (config.ExpressionFilters.Count == 0) return null;
        var byTable = new Dictionary<(string, string), List<(ExpressionFilter, Parsed)>>();
        foreach (var rule in config.ExpressionFilters)
        {
            var key = Key(rule.Schema, rule.Table, config.CaseSensitive);
            if (!byTable.TryGetValue(key, out var list)) byTable[key] = list = [];
            list.Add((rule, new Parsed(Parse(rule, rule.InsertValueExpr), Parse(rule, rule.UpdateOldValueExpr), Parse(rule, rule.UpdateNewValueExpr),
                Parse(rule, rule.DeleteValueExpr))));
        }
        return new ExpressionRowFilters(byTable, config.CaseSensitive);
    }

    /// <summary>The filter of a table in its current structure; null when no rule names the table.</summary>
    public TableRowFilter? For(TableInfo table)
    {
        if (!_byTable.TryGetValue(Key(table.Schema, table.Name, _caseSensitive), out var rules)) return null;
        return _bound.GetValue(table, t => new TableRowFilter(rules.Select(r => Bind(r.Rule, r.Parsed, t)).ToList()));
    }

    private static (string, string) Key(string schema, string table, bool caseSensitive) =>
        caseSensitive ? (schema, table) : (schema.ToLowerInvariant(), table.ToLowerInvariant());

    private static ValueExpression? Parse(ExpressionFilter rule, string text)
    {
        if (text.Length == 0) return null;
        try
        {
            return ExpressionParser.Parse(text);
        }
        catch (Dm.Sql.SqlParseException e)
        {
            throw DmErrors.ErrConfigExprFilterWrongGrammar.Wrap(e, Name(rule), text, e.Message);
        }
    }

    private static TableRowFilter.Rule Bind(ExpressionFilter rule, Parsed parsed, TableInfo table)
    {
        RowPredicate? BindOne(ValueExpression? expression, string text)
        {
            if (expression is null) return null;
            try
            {
                return RowPredicate.Bind(expression, name => table.Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
                    is { } column ? (column.Ordinal, IgnoresCase(column)) : null);
            }
            catch (ExpressionException e)
            {
                throw DmErrors.ErrConfigExprFilterWrongGrammar.Wrap(e, Name(rule), text, $"{e.Message} (table `{table.Schema}`.`{table.Name}`)");
            }
        }
        return new TableRowFilter.Rule(BindOne(parsed.Insert, rule.InsertValueExpr), BindOne(parsed.UpdateOld, rule.UpdateOldValueExpr),
            BindOne(parsed.UpdateNew, rule.UpdateNewValueExpr), BindOne(parsed.Delete, rule.DeleteValueExpr));
    }

    /// <summary>Text columns compare as their collation does: case-insensitively unless binary or _bin.</summary>
    private static bool IgnoresCase(ColumnInfo column) =>
        column.Type.Name.ToUpperInvariant() is "CHAR" or "VARCHAR" or "TINYTEXT" or "TEXT" or "MEDIUMTEXT" or "LONGTEXT" or "ENUM" or "SET"
        && !column.Type.Binary && !(column.Collation ?? "").EndsWith("_bin", StringComparison.OrdinalIgnoreCase);

    private static string Name(ExpressionFilter rule) => $"{rule.Schema}.{rule.Table}";

    private sealed record Parsed(ValueExpression? Insert, ValueExpression? UpdateOld, ValueExpression? UpdateNew, ValueExpression? Delete);
}
