using Dm.Core.Rules;

namespace Dm.Core.Tests.Rules;

public class BinlogEventFilterTests
{
    private static BinlogEventRule Rule(string schema, string table, string action, string[] events, params string[] sql) =>
        new() { SchemaPattern = schema, TablePattern = table, Action = action, Events = [.. events], SqlPattern = [.. sql] };

    private static readonly BinlogEventRule[] DmRules =
    [
        Rule("Test_1_*", "abc*", "Ignore", ["delete", "insert", "create index", "drop index", "drop view"], "^DROP\\s+PROCEDURE", "^CREATE\\s+PROCEDURE"),
        Rule("xxx_*", "abc_*", "Ignore", ["all dml", "none ddl"]),
        Rule("yyy_*", "abc_*", "Do", ["ALL DML"]),
        Rule("cdc", "t1", "Ignore", ["rebase auto id"]),
    ];

    [Theory]
    [InlineData("test_1_a", "abc1", "delete", "", FilterAction.Ignore)]
    [InlineData("test_1_a", "abc1", "insert", "", FilterAction.Ignore)]
    [InlineData("test_1_a", "abc1", "update", "", FilterAction.Do)]
    [InlineData("test_1_a", "abc1", "create index", "", FilterAction.Ignore)]
    [InlineData("test_1_a", "abc1", "rename table", "", FilterAction.Do)]
    [InlineData("test_1_a", "abc1", "", "drop procedure abc", FilterAction.Ignore)]
    [InlineData("test_1_a", "abc1", "", "create procedure abc", FilterAction.Ignore)]
    [InlineData("test_1_a", "abc1", "", "create function abc", FilterAction.Do)]
    [InlineData("xxx_1", "abc_1", "", "create function abc", FilterAction.Do)]
    [InlineData("xxx_1", "abc_1", "insert", "", FilterAction.Ignore)]
    [InlineData("xxx_1", "abc_1", "create index", "", FilterAction.Do)]
    [InlineData("yyy_1", "abc_1", "insert", "", FilterAction.Do)]
    [InlineData("yyy_1", "abc_1", "create index", "", FilterAction.Ignore)]
    [InlineData("test_1_a", "abc1", "drop view", "", FilterAction.Ignore)]
    [InlineData("cdc", "t1", "rebase auto id", "", FilterAction.Ignore)]
    [InlineData("xxx_a", "", "insert", "", FilterAction.Do)]
    [InlineData("other", "t", "insert", "", FilterAction.Do)]
    public void Case_insensitive_rules_behave_like_dm(string schema, string table, string ev, string sql, FilterAction expected)
    {
        var filter = new BinlogEventFilter(DmRules, caseSensitive: false);
        Assert.Equal(expected, filter.Filter(schema, table, ev, sql));
    }

    [Fact]
    public void Case_sensitive_patterns_do_not_match_other_case()
    {
        var filter = new BinlogEventFilter(DmRules, caseSensitive: true);
        Assert.Equal(FilterAction.Do, filter.Filter("test_1_a", "abc1", "delete", ""));
        Assert.Equal(FilterAction.Ignore, filter.Filter("Test_1_a", "abc1", "delete", ""));
    }

    [Fact]
    public void Rules_are_tried_in_dm_order_shorter_wildcards_first()
    {
        var rules = DmRules.ToList();
        rules[0] = rules[0] with { Events = [] };
        rules.Add(Rule("test_*", "ab*", "Do", ["insert", "all ddl"], "^DROP\\s+PROCEDURE"));
        var filter = new BinlogEventFilter(rules, caseSensitive: false);
        // The Do rule on test_* comes first: anything it does not list is ignored.
        Assert.Equal(FilterAction.Ignore, filter.Filter("test_1_a", "abc1", "delete", ""));
        Assert.Equal(FilterAction.Ignore, filter.Filter("test_1_a", "abc1", "update", ""));
        Assert.Equal(FilterAction.Do, filter.Filter("test_1_a", "abc1", "rename table", ""));
        Assert.Equal(FilterAction.Ignore, filter.Filter("test_1_a", "abc1", "", "create function abc"));
        Assert.Equal(FilterAction.Ignore, filter.Filter("test_1_a", "abc1", "", "drop procedure abc"));
    }

    [Fact]
    public void Global_rules_match_empty_names()
    {
        var schemaRule = new BinlogEventFilter([Rule("*", "", "Ignore", [], "^FLUSH")], false);
        var tableRule = new BinlogEventFilter([Rule("*", "*", "Ignore", [], "^FLUSH")], false);
        foreach (var (s, t) in new[] { ("db", "tbl"), ("db", ""), ("", "tbl"), ("", "") })
        {
            Assert.Equal(FilterAction.Ignore, schemaRule.Filter(s, t, "", "FLUSH ENGINE LOGS"));
            Assert.Equal(FilterAction.Ignore, tableRule.Filter(s, t, "", "FLUSH ENGINE LOGS"));
        }
    }

    [Fact]
    public void Several_rules_on_the_same_patterns_are_all_tried_in_order()
    {
        var filter = new BinlogEventFilter([Rule("a", "t", "Ignore", ["drop table"]), Rule("a", "t", "Ignore", [], "^DROP\\s+PROCEDURE")], false);
        Assert.Equal(FilterAction.Ignore, filter.Filter("a", "t", "drop table", ""));
        Assert.Equal(FilterAction.Ignore, filter.Filter("a", "t", "", "DROP PROCEDURE p"));
        Assert.Equal(FilterAction.Do, filter.Filter("a", "t", "insert", ""));
    }

    [Fact]
    public void Error_action_and_incompatible_ddl_group()
    {
        var filter = new BinlogEventFilter([Rule("shop", "*", "Error", ["incompatible ddl changes"])], false);
        Assert.Equal(FilterAction.Error, filter.Filter("shop", "orders", "drop column", ""));
        Assert.Equal(FilterAction.Do, filter.Filter("shop", "orders", "create index", ""));
        Assert.Equal(FilterAction.Do, filter.Filter("shop", "orders", "insert", ""));
    }

    [Fact]
    public void Schema_aliases_and_documented_sharding_example()
    {
        var filter = new BinlogEventFilter(
        [
            Rule("test_*", "t_*", "Ignore", ["truncate table", "drop table", "delete"]),
            Rule("test_*", "", "Ignore", ["drop schema"]),
        ], false);
        Assert.Equal(FilterAction.Ignore, filter.Filter("test_1", "t_1", "truncate table", ""));
        Assert.Equal(FilterAction.Ignore, filter.Filter("test_1", "t_1", "delete", ""));
        Assert.Equal(FilterAction.Do, filter.Filter("test_1", "t_1", "insert", ""));
        Assert.Equal(FilterAction.Ignore, filter.Filter("test_1", "", "drop database", ""));
        Assert.Equal(FilterAction.Do, filter.Filter("test_1", "", "create database", ""));
    }

    [Fact]
    public void Invalid_rules_and_events_are_rejected()
    {
        Assert.ThrowsAny<ArgumentException>(() => new BinlogEventFilter([Rule("a", "", "Ignore", ["explode"])], false));
        Assert.ThrowsAny<ArgumentException>(() => new BinlogEventFilter([Rule("a", "", "", ["all"])], false));
        Assert.ThrowsAny<ArgumentException>(() => new BinlogEventFilter([Rule("a*b", "", "Ignore", ["all"])], false));
        Assert.ThrowsAny<ArgumentException>(() => new BinlogEventFilter([Rule("a", "", "Ignore", [], "([")], false));
        var filter = new BinlogEventFilter([], false);
        Assert.ThrowsAny<ArgumentException>(() => filter.Filter("a", "b", "explode", ""));
    }
}
