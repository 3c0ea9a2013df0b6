using Dm.Core.Config.Yaml;
using Dm.Core.Errors;
using Dm.Sql;
using Dm.Sql.Expressions;

namespace Dm.Core.Config;

/// <summary>
/// Row filter by SQL boolean expression (task.yaml <c>expression-filter.&lt;name&gt;</c>): rows of
/// schema.table for which the expression is true are dropped.
/// </summary>
public sealed class ExpressionFilter
{
    public string Schema { get; set; } = "";
    public string Table { get; set; } = "";
    public string InsertValueExpr { get; set; } = "";
    public string UpdateOldValueExpr { get; set; } = "";
    public string UpdateNewValueExpr { get; set; } = "";
    public string DeleteValueExpr { get; set; } = "";

    public ExpressionFilter Clone() => (ExpressionFilter)MemberwiseClone();

    /// <summary>
    /// DM's checks of a rule named <paramref name="name"/>: schema and table given (20042), one kind of expression only (20039),
    /// each expression parsed, with functions the evaluator knows (20041, DM's "has wrong grammar").
    /// </summary>
    public void Validate(string name)
    {
        if (Schema.Length == 0)
            throw DmErrors.ErrConfigExprFilterEmptyName.New(name, "schema");
        if (Table.Length == 0)
            throw DmErrors.ErrConfigExprFilterEmptyName.New(name, "table");
        var set = new List<string>();
        if (InsertValueExpr.Length > 0)
            set.Add($"insert: [{InsertValueExpr}]");
        if (UpdateOldValueExpr.Length > 0 || UpdateNewValueExpr.Length > 0)
            set.Add($"update (old value): [{UpdateOldValueExpr}] update (new value): [{UpdateNewValueExpr}]");
        if (DeleteValueExpr.Length > 0)
            set.Add($"delete: [{DeleteValueExpr}]");
        if (set.Count > 1)
            throw DmErrors.ErrConfigExprFilterManyExpr.New(name, set);
        foreach (var expression in new[] { InsertValueExpr, UpdateOldValueExpr, UpdateNewValueExpr, DeleteValueExpr })
        {
            if (expression.Length == 0) continue;
            try
            {
                ExpressionParser.Parse(expression);
            }
            catch (SqlParseException e)
            {
                throw DmErrors.ErrConfigExprFilterWrongGrammar.Wrap(e, name, expression, e.Message);
            }
        }
    }

    internal static ExpressionFilter Read(YamlMap map)
    {
        var f = new ExpressionFilter
        {
            Schema = map.String("schema") ?? "",
            Table = map.String("table") ?? "",
            InsertValueExpr = map.String("insert-value-expr") ?? "",
            UpdateOldValueExpr = map.String("update-old-value-expr") ?? "",
            UpdateNewValueExpr = map.String("update-new-value-expr") ?? "",
            DeleteValueExpr = map.String("delete-value-expr") ?? "",
        };
        map.RejectUnknownKeys();
        return f;
    }

    internal YamlMapWriter Write() => new YamlMapWriter()
        .String("schema", Schema).String("table", Table)
        .String("insert-value-expr", InsertValueExpr)
        .String("update-old-value-expr", UpdateOldValueExpr).String("update-new-value-expr", UpdateNewValueExpr)
        .String("delete-value-expr", DeleteValueExpr);
}
