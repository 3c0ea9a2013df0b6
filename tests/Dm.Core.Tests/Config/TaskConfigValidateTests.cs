using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Core.Tests.Config.Samples;

namespace Dm.Core.Tests.Config;

public class TaskConfigValidateTests
{
    private static int CodeOf(string yaml)
    {
        var c = TaskConfig.FromYaml(yaml);
        return Assert.Throws<DmException>(c.Validate).Code;
    }

    private static string Basic => SampleFiles.Read("task_basic.yaml");

    [Fact]
    public void Empty_name_is_20019() => Assert.Equal(20019, CodeOf(Basic.Replace("name: test", "name: \"\"")));

    [Fact]
    public void Bad_task_mode_is_20020() => Assert.Equal(20020, CodeOf(Basic.Replace("task-mode: all", "task-mode: everything")));

    [Fact]
    public void Load_mode_is_accepted()
    {
        var c = TaskConfig.FromYaml(Basic.Replace("task-mode: all", "task-mode: load"));
        c.Validate();
    }

    [Fact]
    public void Bad_shard_mode_is_20033() => Assert.Equal(20033, CodeOf(Basic + "shard-mode: sometimes\n"));

    [Fact]
    public void Is_sharding_means_pessimistic()
    {
        var c = TaskConfig.FromYaml(Basic + "is-sharding: true\n");
        c.Validate();
        Assert.Equal("pessimistic", c.ShardMode);
    }

    [Fact]
    public void Strict_optimistic_needs_optimistic_20066() =>
        Assert.Equal(20066, CodeOf(Basic + "shard-mode: pessimistic\nstrict-optimistic-shard-mode: true\n"));

    [Fact]
    public void Column_mappings_are_rejected_20064() =>
        Assert.Equal(20064, CodeOf(Basic + "column-mappings:\n  cm:\n    schema-pattern: a\n"));

    [Fact]
    public void Unknown_checking_item_is_20001() => Assert.Equal(20001, CodeOf(Basic + "ignore-checking-items: [\"nope\"]\n"));

    [Fact]
    public void Missing_target_is_20021() =>
        Assert.Equal(20021, CodeOf("name: t\ntask-mode: all\nmysql-instances:\n  - source-id: s\n"));

    [Fact]
    public void No_instances_is_20013() =>
        Assert.Equal(20013, CodeOf("name: t\ntask-mode: all\ntarget-database:\n  host: h\n"));

    [Fact]
    public void Unknown_rule_names_and_unused_globals()
    {
        Assert.Equal(20026, CodeOf(Basic.Replace("    block-allow-list: \"global\"", "    block-allow-list: \"other\"")));
        Assert.Equal(20027, CodeOf(Basic.Replace("mydumper-config-name: \"global\"", "mydumper-config-name: \"x\"")));
        Assert.Equal(20023, CodeOf(Basic.Replace("    block-allow-list: \"global\"", "    block-allow-list: \"global\"\n    route-rules: [\"r\"]")));
        var unused = TaskConfig.FromYaml(Basic + "routes:\n  lonely:\n    schema-pattern: a\n    target-schema: b\n");
        var ex = Assert.Throws<DmException>(unused.Validate);
        Assert.Equal(20038, ex.Code);
        Assert.Contains("[lonely]", ex.Message);
    }

    [Fact]
    public void Same_source_twice_is_20014()
    {
        var yaml = Basic.Replace("mysql-instances:\n", "mysql-instances:\n  - source-id: \"mysql-replica-01\"\n");
        Assert.Equal(20014, CodeOf(yaml));
    }

    [Fact]
    public void Inline_and_named_config_conflict_is_20015() =>
        Assert.Equal(20015, CodeOf(Basic.Replace("    mydumper-config-name: \"global\"", "    mydumper-config-name: \"global\"\n    mydumper:\n      threads: 2")));

    [Fact]
    public void Duplicate_rule_names_are_20032()
    {
        var yaml = Basic.Replace("    block-allow-list: \"global\"", "    block-allow-list: \"global\"\n    route-rules: [\"r\", \"r\"]")
            + "routes:\n  r:\n    schema-pattern: a\n    target-schema: b\n";
        var ex = Assert.Throws<DmException>(TaskConfig.FromYaml(yaml).Validate);
        Assert.Equal(20032, ex.Code);
        Assert.Contains("mysql-instance(0)'s route-rules: r", ex.Message);
    }

    [Fact]
    public void Incremental_meta_without_position_is_20011() =>
        Assert.Equal(20011, CodeOf(Basic.Replace("task-mode: all", "task-mode: incremental")
            .Replace("    block-allow-list: \"global\"", "    block-allow-list: \"global\"\n    meta:\n      binlog-pos: 4")));

    [Fact]
    public void Bad_loader_options_and_safe_mode()
    {
        Assert.Equal(20053, CodeOf(Basic + "loaders:\n  l:\n    import-mode: fast\n"));
        Assert.Equal(20054, CodeOf(Basic + "loaders:\n  l:\n    on-duplicate-logical: merge\n"));
        Assert.Equal(20061, CodeOf(Basic.Replace("    mydumper-config-name: \"global\"", "    mydumper-config-name: \"global\"\n    syncer:\n      safe-mode: true\n      safe-mode-duration: 0s")));
        Assert.Equal(20060, CodeOf(Basic.Replace("    mydumper-config-name: \"global\"", "    mydumper-config-name: \"global\"\n    syncer:\n      safe-mode-duration: soon")));
    }

    [Fact]
    public void Expression_filter_with_two_kinds_is_20039()
    {
        var yaml = Basic.Replace("    block-allow-list: \"global\"", "    block-allow-list: \"global\"\n    expression-filters: [\"e\"]")
            + "expression-filter:\n  e:\n    schema: s\n    table: t\n    insert-value-expr: a > 1\n    delete-value-expr: a < 1\n";
        Assert.Equal(20039, CodeOf(yaml));
        Assert.Equal(20042, CodeOf(yaml.Replace("    table: t\n", "")));
    }

    [Theory]
    [InlineData("no_such_function(a) > 1")]
    [InlineData("a >")]
    [InlineData("SLEEP(a) = 0")]
    public void Expression_filter_with_bad_grammar_or_an_unknown_function_is_20041(string expression)
    {
        var yaml = Basic.Replace("    block-allow-list: \"global\"", "    block-allow-list: \"global\"\n    expression-filters: [\"e\"]")
            + $"expression-filter:\n  e:\n    schema: s\n    table: t\n    insert-value-expr: \"{expression}\"\n";
        Assert.Equal(20041, CodeOf(yaml));
        Assert.Null(Record.Exception(() => TaskConfig.FromYaml(yaml.Replace(expression, "a > 1 AND YEAR(b) = 2021")).Validate()));
    }

    [Fact]
    public void Bad_timezone_is_20008()
    {
        Assert.Equal(20008, CodeOf(Basic + "timezone: Mars/Olympus\n"));
        var ok = TaskConfig.FromYaml(Basic + "timezone: \"+08:00\"\n");
        ok.Validate();
    }

    [Fact]
    public void Import_into_with_two_sources_is_20068()
    {
        var yaml = SampleFiles.Read("task_advanced.yaml").Replace("import-mode: \"logical\"", "import-mode: \"import-into\"");
        Assert.Equal(20068, CodeOf(yaml));
    }
}
