using Dm.Core.Api;
using Dm.Core.Config;
using Dm.Core.Tests.Config.Samples;

namespace Dm.Core.Tests.Config;

/// <summary>Tasks built from the OpenAPI spec's field examples and from DM's own OpenAPI integration tests.</summary>
public class ApiExampleTaskTests
{
    private static readonly Dictionary<string, SourceConfig> Sources = new()
    {
        ["mysql-replica-01"] = new SourceConfig { SourceId = "mysql-replica-01", From = new DbConfig { Host = "127.0.0.1", Port = 3306, User = "root" } },
        ["mysql-02"] = new SourceConfig { SourceId = "mysql-02", From = new DbConfig { Host = "127.0.0.1", Port = 3307, User = "root" }, CaseSensitive = true },
    };

    [Fact]
    public void Spec_example_task_round_trips_through_yaml()
    {
        var task = ApiJson.Deserialize<DmTask>(SampleFiles.Read("api_task_spec_examples.json"));
        var cfg = TaskConverter.ToTaskConfig(task, Sources);
        var loader = cfg.Loaders["load-01"];
        Assert.Equal("physical", loader.ImportMode);
        Assert.Equal(80UL * 1024 * 1024 * 1024, loader.DiskQuotaPhysical);
        Assert.Equal("./sort_dir", loader.SortingDirPhysical);
        Assert.Equal("optional", loader.ChecksumPhysical);
        Assert.Equal("127.0.0.1:2379", loader.PdAddr);
        Assert.Equal("optimistic", cfg.ShardMode);
        Assert.True(cfg.StrictOptimisticShardMode);
        Assert.Equal("dm-meta", cfg.MetaSchema);

        var back = TaskConverter.ToApiTask(TaskConfig.FromYaml(cfg.ToYaml()), Sources);
        Assert.Equal(ImportMode.Physical, back.SourceConfig.FullMigrateConf!.ImportMode);
        Assert.Equal("127.0.0.1:2379", back.SourceConfig.FullMigrateConf.PdAddr);
        Assert.Equal("db1", back.TableMigrateRule[0].Target!.Schema);
        Assert.Equal("tb1", back.TableMigrateRule[0].Target!.Table);
        Assert.Equal(ShardMode.Optimistic, back.ShardMode);
        Assert.Equal("binlog.000001", back.SourceConfig.SourceConf[0].BinlogName);
    }

    [Fact]
    public void Dm_integration_style_shard_task()
    {
        var json = """
            {"task": {"name": "test", "task_mode": "all", "shard_mode": "pessimistic", "meta_schema": "dm-meta",
              "enhance_online_schema_change": true, "on_duplicate": "error",
              "target_config": {"host": "127.0.0.1", "port": 4000, "user": "root", "password": ""},
              "table_migrate_rule": [
                {"source": {"source_name": "mysql-replica-01", "schema": "openapi", "table": "*"}, "target": {"schema": "openapi", "table": "t"}},
                {"source": {"source_name": "mysql-02", "schema": "openapi", "table": "*"}, "target": {"schema": "openapi", "table": "t"}}],
              "source_config": {"source_conf": [{"source_name": "mysql-replica-01"}, {"source_name": "mysql-02"}]}}}
            """;
        var task = ApiJson.Deserialize<CreateTaskRequest>(json).Task;
        var subTasks = TaskConverter.ToSubTasks(task, Sources);
        Assert.False(subTasks[0].CaseSensitive);
        Assert.True(subTasks[1].CaseSensitive);
        Assert.Equal(("openapi", "t"), subTasks[0].CreateTableRouter().Route("openapi", "t1"));
        Assert.True(subTasks[0].CreateBlockAllowListFilter().Match("openapi", "t2"));
        Assert.False(subTasks[0].CreateBlockAllowListFilter().Match("other", "t2"));
        Assert.Equal("./dumped_data.test", subTasks[0].Loader.Dir);

        var yaml = TaskConverter.ToTaskConfig(task, Sources).ToYaml();
        var reparsed = TaskConfig.FromYaml(yaml);
        reparsed.Validate();
        Assert.Single(reparsed.Routes);
        Assert.Single(reparsed.BlockAllowList); // identical lists share one generated name, as in DM
        var api = TaskConverter.ToApiTask(reparsed, Sources);
        Assert.Equal(2, api.TableMigrateRule.Count);
        Assert.Equal(OnDuplicate.Error, api.OnDuplicate);
    }
}
