using Dm.Core.Config.Yaml;

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
