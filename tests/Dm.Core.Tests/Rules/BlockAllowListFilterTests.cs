using Dm.Core.Rules;

namespace Dm.Core.Tests.Rules;

public class BlockAllowListFilterTests
{
    // The example of DM's "Block and Allow Lists" documentation.
    private static readonly BlockAllowListRules DocExample = new()
    {
        DoDbs = ["forum_backup_2018", "forum"],
        IgnoreDbs = ["~^forum_backup_"],
        DoTables = [new("logs", "~_2018$"), new("~^forum.*", "messages")],
        IgnoreTables = [new("~.*", "~^messages.*")],
    };

    [Theory]
    [InlineData("logs", "messages_2016", false)]
    [InlineData("logs", "messages_2017", false)]
    [InlineData("logs", "messages_2018", false)]
    [InlineData("forum_backup_2016", "messages", false)]
    [InlineData("forum_backup_2017", "messages", false)]
    [InlineData("forum", "users", false)]
    [InlineData("forum", "messages", true)]
    [InlineData("forum_backup_2018", "messages", true)]
    public void Documented_example(string schema, string table, bool migrated) =>
        Assert.Equal(migrated, new BlockAllowListFilter(DocExample, false).Match(schema, table));

    [Fact]
    public void Ignore_dbs_apply_only_without_do_dbs()
    {
        var f = new BlockAllowListFilter(new BlockAllowListRules { IgnoreDbs = ["mysql", "sys*"] }, false);
        Assert.False(f.Match("mysql", "user"));
        Assert.False(f.Match("sys_schema", "t"));
        Assert.True(f.Match("shop", "orders"));
        Assert.False(f.Match("mysql", ""));
        Assert.True(f.Match("shop", ""));
    }

    [Fact]
    public void Ignore_tables_without_do_tables_pass_the_rest()
    {
        var f = new BlockAllowListFilter(new BlockAllowListRules { IgnoreTables = [new("shop", "log_?"), new("shop", "tmp*")] }, false);
        Assert.False(f.Match("shop", "log_1"));
        Assert.True(f.Match("shop", "log_12"));
        Assert.False(f.Match("shop", "tmp"));
        Assert.False(f.Match("shop", "tmp_orders"));
        Assert.True(f.Match("shop", "orders"));
    }

    [Fact]
    public void Wildcard_classes_and_documented_rule_1()
    {
        var f = new BlockAllowListFilter(new BlockAllowListRules
        {
            DoDbs = ["test*"],
            DoTables = [new("test[123]", "t[1-5]"), new("test", "t")],
        }, false);
        Assert.True(f.Match("test1", "t3"));
        Assert.False(f.Match("test4", "t3"));
        Assert.False(f.Match("test1", "t6"));
        Assert.True(f.Match("test", "t"));
        Assert.False(f.Match("test", "t1"));
        Assert.False(f.Match("prod", "t"));
        Assert.True(f.Match("test9", ""));
    }

    [Fact]
    public void Negated_class_and_regex_table_under_wildcard_schema()
    {
        var f = new BlockAllowListFilter(new BlockAllowListRules { DoTables = [new("db[!0-9]", "~^user"), new("~^app_", "orders")] }, false);
        Assert.True(f.Match("dbx", "users"));
        Assert.False(f.Match("db1", "users"));
        Assert.True(f.Match("app_eu", "orders"));
        Assert.False(f.Match("app_eu", "order_items"));
    }

    [Fact]
    public void Case_sensitivity()
    {
        var rules = new BlockAllowListRules { DoDbs = ["Shop"] };
        Assert.True(new BlockAllowListFilter(rules, false).Match("SHOP", "t"));
        Assert.False(new BlockAllowListFilter(rules, true).Match("shop", "t"));
        Assert.True(new BlockAllowListFilter(rules, true).Match("Shop", "t"));
    }

    [Fact]
    public void No_rules_pass_everything_and_bad_rules_are_rejected()
    {
        Assert.True(new BlockAllowListFilter(null, false).Match("any", "thing"));
        Assert.True(new BlockAllowListFilter(new BlockAllowListRules(), false).Match("any", "thing"));
        Assert.ThrowsAny<ArgumentException>(() => new BlockAllowListFilter(new BlockAllowListRules { DoDbs = [""] }, false));
        Assert.ThrowsAny<ArgumentException>(() => new BlockAllowListFilter(new BlockAllowListRules { DoDbs = ["a*b"] }, false));
        Assert.ThrowsAny<ArgumentException>(() => new BlockAllowListFilter(new BlockAllowListRules { DoTables = [new("db", "")] }, false));
        Assert.ThrowsAny<ArgumentException>(() => new BlockAllowListFilter(new BlockAllowListRules { DoDbs = ["~("] }, false));
    }

    [Fact]
    public void Apply_keeps_input_order()
    {
        var f = new BlockAllowListFilter(new BlockAllowListRules { DoDbs = ["a", "c"] }, false);
        Assert.Equal([("c", "1"), ("a", "2")], f.Apply([("c", "1"), ("b", "1"), ("a", "2")]).ToList());
    }
}
