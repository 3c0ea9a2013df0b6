using Dm.Core.Rules;

namespace Dm.Core.Tests.Rules;

public class TableRouterTests
{
    private static readonly RouteRule[] ShardMerge =
    [
        new() { SchemaPattern = "test_*", TablePattern = "t_*", TargetSchema = "test", TargetTable = "t" },
        new() { SchemaPattern = "test_*", TargetSchema = "test" },
    ];

    [Fact]
    public void Table_rules_win_over_schema_rules()
    {
        var router = new TableRouter(ShardMerge, false);
        Assert.Equal(("test", "t"), router.Route("test_1", "t_1"));
        Assert.Equal(("test", "t"), router.Route("test_2", "t_99"));
        Assert.Equal(("test", "other"), router.Route("test_1", "other"));
        Assert.Equal(("test", ""), router.Route("test_1", ""));
        Assert.Equal(("prod", "t_1"), router.Route("prod", "t_1"));
    }

    [Fact]
    public void Case_insensitive_matching_keeps_original_names_when_not_routed()
    {
        var router = new TableRouter([new RouteRule { SchemaPattern = "Shop", TablePattern = "Orders", TargetSchema = "dw" }], false);
        Assert.Equal(("dw", "ORDERS"), router.Route("SHOP", "ORDERS"));
        Assert.Equal(("Other", "X"), router.Route("Other", "X"));
        var sensitive = new TableRouter([new RouteRule { SchemaPattern = "Shop", TablePattern = "Orders", TargetSchema = "dw" }], true);
        Assert.Equal(("shop", "orders"), sensitive.Route("shop", "orders"));
    }

    [Fact]
    public void Ambiguous_matches_are_errors()
    {
        var router = new TableRouter(
        [
            new RouteRule { SchemaPattern = "a*", TargetSchema = "x" },
            new RouteRule { SchemaPattern = "ab*", TargetSchema = "y" },
        ], false);
        Assert.Throws<AmbiguousRouteException>(() => router.Route("abc", "t"));
        Assert.Equal(("x", "t"), router.Route("aa", "t"));
    }

    [Fact]
    public void Duplicate_or_invalid_patterns_are_rejected()
    {
        Assert.ThrowsAny<ArgumentException>(() => new TableRouter([ShardMerge[0], ShardMerge[0] with { TargetTable = "u" }], false));
        Assert.ThrowsAny<ArgumentException>(() => new TableRouter([new RouteRule { SchemaPattern = "", TargetSchema = "x" }], false));
        Assert.ThrowsAny<ArgumentException>(() => new TableRouter([new RouteRule { SchemaPattern = "*x", TargetSchema = "x" }], false));
    }

    [Fact]
    public void Extract_columns_from_table_schema_and_source()
    {
        var router = new TableRouter(
        [
            new RouteRule
            {
                SchemaPattern = "test_*", TablePattern = "t_*", TargetSchema = "test", TargetTable = "t",
                ExtractTable = new TableExtractor("t_(.*)", "c_table"),
                ExtractSchema = new SchemaExtractor("test_(.*)", "c_schema"),
                ExtractSource = new SourceExtractor("(.*)", "c_source"),
            },
        ], false);
        var (columns, values) = router.ExtendColumns("test_1", "t_2", "mysql-01");
        Assert.Equal(["c_table", "c_schema", "c_source"], columns);
        Assert.Equal(["2", "1", "mysql-01"], values);
        Assert.Empty(router.ExtendColumns("prod", "t", "s").Columns);
    }
}
