using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Core.Tests.Config.Samples;

namespace Dm.Core.Tests.Config;

public class TaskConfigYamlTests
{
    [Fact]
    public void Advanced_sample_decodes_every_section()
    {
        var c = TaskConfig.FromYaml(SampleFiles.Read("task_advanced.yaml"));
        Assert.Equal("test", c.Name);
        Assert.Equal("all", c.TaskMode);
        Assert.Equal("pessimistic", c.ShardMode);
        Assert.Equal(["auto_increment_ID"], c.IgnoreCheckingItems);
        Assert.Equal("192.168.0.1", c.TargetDatabase!.Host);
        Assert.Equal(4000, c.TargetDatabase.Port);
        Assert.Equal("0", c.TargetDatabase.Session!["foreign_key_checks"]);
        Assert.Equal(2, c.MysqlInstances.Count);
        var first = c.MysqlInstances[0];
        Assert.Equal("binlog.000001", first.Meta!.BinlogName);
        Assert.Equal(4u, first.Meta.BinlogPos);
        Assert.Equal(["user-route-rules-schema", "user-route-rules"], first.RouteRules);
        Assert.Equal("instance", first.BlockAllowList);
        Assert.Equal(32, c.MysqlInstances[1].SyncerThread);
        Assert.Equal("t_(.*)", c.Routes["user-route-rules"].ExtractTable!.TableRegexp);
        Assert.Equal("c_source", c.Routes["user-route-rules"].ExtractSource!.TargetColumn);
        Assert.Equal(["^DROP\\s+PROCEDURE"], c.Filters["user-filter-2"].SqlPattern);
        Assert.Equal("c % 2 = 0", c.ExpressionFilter["even_c"].InsertValueExpr);
        Assert.Equal(["~^test.*", "user"], c.BlockAllowList["instance"].DoDbs);
        Assert.Equal("information", c.BlockAllowList["instance"].DoTables[1].TblName);
        Assert.Equal("64", c.Mydumpers["global"].ChunkFilesize);
        Assert.Equal("./bin/mydumper", c.Mydumpers["global"].MydumperPath);
        Assert.True(c.Syncers["global"].Compact);
        Assert.Equal(1024, c.Syncers["global"].QueueSize);
        Assert.True(c.OnlineDdl);
        Assert.True(c.CleanDumpFile);
        c.Validate();
    }

    [Fact]
    public void Defaults_are_dms_when_keys_are_absent()
    {
        var c = TaskConfig.FromYaml(SampleFiles.Read("task_basic.yaml"));
        c.Validate();
        Assert.Equal("dm_meta", c.MetaSchema);
        Assert.Equal("", c.ShardMode);
        Assert.Equal("loose", c.CollationCompatible);
        Assert.True(c.OnlineDdl);
        var inst = c.MysqlInstances[0];
        var loader = c.ResolveLoader(inst);
        Assert.Equal(16, loader.PoolSize);
        Assert.Equal("./dumped_data", loader.Dir);
        var syncer = c.ResolveSyncer(inst);
        Assert.Equal(16, syncer.WorkerCount);
        Assert.Equal(100, syncer.Batch);
        Assert.Equal("60s", syncer.SafeModeDuration);
    }

    [Fact]
    public void Unknown_key_is_named_with_its_line()
    {
        var yaml = SampleFiles.Read("task_basic.yaml").Replace("    mydumper-config-name: \"global\"", "    mydumper-config-name: \"global\"\n    mydumper-confg: x");
        var ex = Assert.Throws<DmException>(() => TaskConfig.FromYaml(yaml));
        Assert.Equal(20003, ex.Code);
        Assert.Contains("mydumper-confg", ex.Message);
        Assert.Contains("line 14", ex.Message);
        Assert.Contains("mysql-instances[0]", ex.Message);
    }

    [Fact]
    public void Unknown_top_level_key_is_rejected()
    {
        var ex = Assert.Throws<DmException>(() => TaskConfig.FromYaml("name: t\ntask-mod: all\n"));
        Assert.Contains("field task-mod not found in the top level", ex.Message);
        Assert.Contains("line 2", ex.Message);
    }

    [Fact]
    public void Wrong_type_is_named_with_key_and_line()
    {
        var ex = Assert.Throws<DmException>(() => TaskConfig.FromYaml("name: t\ntarget-database:\n  host: h\n  port: abc\n"));
        Assert.Equal(20003, ex.Code);
        Assert.Contains("`target-database.port`", ex.Message);
        Assert.Contains("line 4", ex.Message);

        var quoted = Assert.Throws<DmException>(() => TaskConfig.FromYaml("name: t\nonline-ddl: \"true\"\n"));
        Assert.Contains("`online-ddl`", quoted.Message);

        var list = Assert.Throws<DmException>(() => TaskConfig.FromYaml("name: t\nmysql-instances: abc\n"));
        Assert.Contains("expected a list", list.Message);
    }

    [Fact]
    public void Yaml_1_1_booleans_and_duplicate_keys()
    {
        Assert.False(TaskConfig.FromYaml("online-ddl: off\n").OnlineDdl);
        Assert.True(TaskConfig.FromYaml("case-sensitive: yes\n").CaseSensitive);
        var ex = Assert.Throws<DmException>(() => TaskConfig.FromYaml("name: a\nname: b\n"));
        Assert.Equal(20003, ex.Code);
    }

    [Fact]
    public void Malformed_yaml_reports_the_line()
    {
        var ex = Assert.Throws<DmException>(() => TaskConfig.FromYaml("name: a\n  bad: [\n"));
        Assert.Equal(20003, ex.Code);
        Assert.Contains("line", ex.Message);
    }

    [Fact]
    public void Encoded_yaml_decodes_back_to_the_same_config()
    {
        var c = TaskConfig.FromYaml(SampleFiles.Read("task_advanced.yaml"));
        var yaml = c.ToYaml();
        var again = TaskConfig.FromYaml(yaml);
        Assert.Equal(yaml, again.ToYaml());
        Assert.Contains("name: test\n", yaml);
        Assert.Contains("task-mode: all\n", yaml);
        Assert.Contains("chunk-filesize: \"64\"", yaml);
        Assert.Contains("collation_compatible: loose", yaml);
        Assert.Contains("column-mappings: {}", yaml);
        again.Validate();
    }

    [Fact]
    public void Deprecated_black_white_list_is_used_when_block_allow_list_is_empty()
    {
        var yaml = SampleFiles.Read("task_basic.yaml").Replace("block-allow-list:\n  global:", "black-white-list:\n  global:")
            .Replace("    block-allow-list: \"global\"", "    black-white-list: \"global\"");
        var c = TaskConfig.FromYaml(yaml);
        c.Validate();
        Assert.Equal(["all_mode"], c.BlockAllowList["global"].DoDbs);
        Assert.Equal("global", c.MysqlInstances[0].EffectiveBlockAllowList);
    }
}
