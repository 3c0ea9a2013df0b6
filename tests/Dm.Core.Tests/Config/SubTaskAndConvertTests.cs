using Dm.Core.Api;
using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Core.Rules;
using Dm.Core.Tests.Config.Samples;

namespace Dm.Core.Tests.Config;

public class SubTaskAndConvertTests
{
    internal static readonly Dictionary<string, SourceConfig> Sources = new()
    {
        ["mysql-01"] = new SourceConfig { SourceId = "mysql-01", From = new DbConfig { Host = "10.0.0.1", Port = 3306, User = "dm" } },
        ["mysql-02"] = new SourceConfig { SourceId = "mysql-02", From = new DbConfig { Host = "10.0.0.2", Port = 3306, User = "dm" } },
    };

    private static DmTask ApiTask() => ApiJson.Deserialize<CreateTaskRequest>(SampleFiles.Read("api_task.json")).Task;

    [Fact]
    public void Subtask_yaml_round_trips()
    {
        foreach (var st in TaskConverter.ToSubTasks(ApiTask(), Sources))
        {
            var yaml = st.ToYaml();
            var back = SubTaskConfig.FromYaml(yaml);
            Assert.Equal(yaml, back.ToYaml());
            Assert.Equal(st.FilterRules.Count, back.FilterRules.Count);
            Assert.Equal(st.Loader.Dir, back.Loader.Dir);
            back.Adjust();
            Assert.Equal(yaml, back.ToYaml());
        }
    }

    [Fact]
    public void Subtask_yaml_is_strict()
    {
        var ex = Assert.Throws<DmException>(() => SubTaskConfig.FromYaml("name: t\nloader-config:\n  pool-size: 4\n  pol-size: 5\n"));
        Assert.Contains("pol-size", ex.Message);
    }

    [Fact]
    public void Converter_endpoint_goes_both_ways()
    {
        var fromJson = TaskConverter.Convert(new ConverterTaskRequest { Task = ApiTask() }, Sources);
        Assert.Contains("task-mode: all", fromJson.TaskConfigFile);
        var fromYaml = TaskConverter.Convert(new ConverterTaskRequest { TaskConfigFile = fromJson.TaskConfigFile }, Sources);
        Assert.Equal("shard-merge", fromYaml.Task.Name);
        Assert.Equal(fromJson.TaskConfigFile, TaskConverter.Convert(new ConverterTaskRequest { Task = fromYaml.Task }, Sources).TaskConfigFile);
        Assert.Equal(49001, Assert.Throws<DmException>(() => TaskConverter.Convert(new ConverterTaskRequest(), Sources)).Code);
        var bad = Assert.Throws<DmException>(() => TaskConverter.Convert(new ConverterTaskRequest { TaskConfigFile = "name: x\nbogus: 1\n" }, Sources));
        Assert.Equal(20003, bad.Code);
    }

    [Fact]
    public void Migrate_targets_apply_block_allow_list_router_and_patterns()
    {
        var subTasks = TaskConverter.ToSubTasks(ApiTask(), Sources);
        var upstream = new[] { ("shop_1", "orders_1"), ("shop_2", "orders_7"), ("shop_1", "users"), ("crm", "leads"), ("mysql", "user") };

        var first = subTasks[0];
        var all = MigrateTargets.Compute(first.CreateBlockAllowListFilter(), first.CreateTableRouter(), upstream, null, null);
        Assert.Equal(
        [
            new MigrateTargets.Target("shop_1", "orders_1", "shop", "orders"),
            new MigrateTargets.Target("shop_2", "orders_7", "shop", "orders"),
        ], all);
        var narrowed = MigrateTargets.Compute(first.CreateBlockAllowListFilter(), first.CreateTableRouter(), upstream, "shop_2", "orders_*");
        Assert.Equal([new MigrateTargets.Target("shop_2", "orders_7", "shop", "orders")], narrowed);

        // DM quirk kept on purpose: mixing a schema-only rule (-> do-dbs [crm]) with a table rule
        // (-> do-tables [shop_*.orders_*]) for one source lets nothing through: shop_* fails do-dbs and
        // crm.leads fails the non-empty do-tables (MySQL replication-rule semantics).
        var second = subTasks[1];
        Assert.Equal(["crm"], second.BlockAllowList!.DoDbs);
        Assert.Empty(MigrateTargets.Compute(second.CreateBlockAllowListFilter(), second.CreateTableRouter(), upstream, null, null));
    }
}
