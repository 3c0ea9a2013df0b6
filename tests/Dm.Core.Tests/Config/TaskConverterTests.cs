using Dm.Core.Api;
using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Core.Tests.Config.Samples;

namespace Dm.Core.Tests.Config;

public class TaskConverterTests
{
    private static readonly Dictionary<string, SourceConfig> Sources = new()
    {
        ["mysql-01"] = new SourceConfig { SourceId = "mysql-01", From = new DbConfig { Host = "10.0.0.1", Port = 3306, User = "dm", Password = "p1" } },
        ["mysql-02"] = new SourceConfig { SourceId = "mysql-02", From = new DbConfig { Host = "10.0.0.2", Port = 3307, User = "dm", Password = "p2" } },
        ["mysql-replica-01"] = new SourceConfig { SourceId = "mysql-replica-01", From = new DbConfig { Host = "10.0.0.3", Port = 3306, User = "root" } },
        ["mysql-replica-02"] = new SourceConfig { SourceId = "mysql-replica-02", From = new DbConfig { Host = "10.0.0.4", Port = 3306, User = "root" } },
    };

    private static DmTask ApiTask() => ApiJson.Deserialize<CreateTaskRequest>(SampleFiles.Read("api_task.json")).Task;

    [Fact]
    public void Api_task_becomes_one_subtask_per_source()
    {
        var subTasks = TaskConverter.ToSubTasks(ApiTask(), Sources);
        Assert.Equal(["mysql-01", "mysql-02"], subTasks.Select(s => s.SourceId));
        var one = subTasks[0];
        Assert.Equal("all", one.Mode);
        Assert.True(one.IsSharding);
        Assert.Equal("pessimistic", one.ShardMode);
        Assert.Equal("mysql-bin.000002", one.Meta!.BinlogName);
        Assert.Equal(1234u, one.Meta.BinlogPos);
        Assert.Null(subTasks[1].Meta);
        Assert.Equal("10.0.0.1", one.From.Host);
        Assert.Equal("0", one.To.Session!["foreign_key_checks"]);
        Assert.Equal(8, one.Mydumper.Threads);
        Assert.Equal("--consistency auto", one.Mydumper.ExtraArgs);
        Assert.Equal(12, one.Loader.PoolSize);
        Assert.Equal("./exported_data.shard-merge", one.Loader.Dir);
        Assert.Equal("error", one.Loader.OnDuplicateLogical);
        Assert.Equal(24, one.Syncer.WorkerCount);
        Assert.Equal(200, one.Syncer.Batch);
        Assert.True(one.Syncer.SafeMode);
        Assert.Equal("Asia/Shanghai", one.Timezone);

        var route = Assert.Single(one.RouteRules);
        Assert.Equal(("shop_*", "orders_*", "shop", "orders"), (route.SchemaPattern, route.TablePattern, route.TargetSchema, route.TargetTable));
        var filter = Assert.Single(one.FilterRules);
        Assert.Equal("Ignore", filter.Action);
        Assert.Equal(["drop table", "truncate table"], filter.Events);
        Assert.Equal("orders_*", filter.TablePattern);
        Assert.Equal([new Dm.Core.Rules.TablePattern("shop_*", "orders_*")], one.BlockAllowList!.DoTables);

        var two = subTasks[1];
        Assert.Equal(2, two.FilterRules.Count);
        Assert.Equal(["crm"], two.BlockAllowList!.DoDbs);
    }

    [Fact]
    public void Api_task_to_yaml_and_back_is_stable()
    {
        var cfg = TaskConverter.ToTaskConfig(ApiTask(), Sources);
        var yaml = cfg.ToYaml();
        Assert.Contains("name: shard-merge", yaml);
        Assert.Contains("route-01:", yaml);
        Assert.Contains("filter-02:", yaml);
        Assert.Contains("balist-02:", yaml);
        // Identical unit configs share one generated name.
        Assert.Single(cfg.Mydumpers);
        Assert.Equal("dump-01", cfg.MysqlInstances[1].MydumperConfigName);
        Assert.Equal("./exported_data", cfg.Loaders["load-01"].Dir);

        var decoded = TaskConfig.FromYaml(yaml);
        decoded.Validate();
        var back = TaskConverter.ToApiTask(decoded, Sources);
        Assert.Equal("shard-merge", back.Name);
        Assert.Equal(TaskMode.All, back.TaskMode);
        Assert.Equal(ShardMode.Pessimistic, back.ShardMode);
        Assert.Equal(OnDuplicate.Error, back.OnDuplicate);
        Assert.Equal("Asia/Shanghai", back.Timezone);
        Assert.Equal(ForeignKeyChecks.Off, back.TargetConfig.Session!.ForeignKeyChecks);
        Assert.Equal(8, back.SourceConfig.FullMigrateConf!.ExportThreads);
        Assert.Equal("auto", back.SourceConfig.FullMigrateConf.Consistency);
        Assert.Equal("./exported_data", back.SourceConfig.FullMigrateConf.DataDir);
        Assert.True(back.SourceConfig.IncrMigrateConf!.SafeMode);
        Assert.Equal(1234, back.SourceConfig.SourceConf[0].BinlogPos);
        Assert.Equal(["version"], back.IgnoreCheckingItems);
        Assert.Equal(3, back.TableMigrateRule.Count);
        Assert.Equal("shop", back.TableMigrateRule[0].Target!.Schema);
        Assert.Equal(["mysql-01-filter-rule-0"], back.TableMigrateRule[0].BinlogFilterRule);
        Assert.Equal(["drop table", "truncate table"], back.BinlogFilterRule!["mysql-02-filter-rule-0"].IgnoreEvent);
        Assert.Equal(["^DROP\\s+PROCEDURE"], back.BinlogFilterRule["mysql-02-filter-rule-1"].IgnoreSql);
        Assert.Equal("crm", back.TableMigrateRule[2].Source.Schema);

        // A second round trip changes nothing.
        var again = TaskConverter.ToApiTask(TaskConverter.ToTaskConfig(back, Sources), Sources);
        Assert.Equal(ApiJson.Serialize(back), ApiJson.Serialize(again));
    }

    [Fact]
    public void Dm_user_yaml_to_api_task_and_back()
    {
        var cfg = TaskConfig.FromYaml(SampleFiles.Read("task_advanced.yaml").Replace("    expression-filters: [\"even_c\"]\n", "")
            .Replace("expression-filter:\n  even_c:\n    schema: \"test_1\"\n    table: \"t_1\"\n    insert-value-expr: \"c % 2 = 0\"\n", ""));
        var task = TaskConverter.ToApiTask(cfg, Sources);
        Assert.Equal("test", task.Name);
        Assert.Equal(["mysql-replica-01", "mysql-replica-02"], task.SourceConfig.SourceConf.Select(s => s.SourceName));
        Assert.Equal("binlog.000001", task.SourceConfig.SourceConf[0].BinlogName);
        // Two route rules per source plus the block-allow list entries, deduplicated by source/schema/table.
        var fromFirst = task.TableMigrateRule.Where(r => r.Source.SourceName == "mysql-replica-01").ToList();
        Assert.Contains(fromFirst, r => r.Source.Schema == "test_*" && r.Source.Table == "t_*" && r.Target!.Table == "t");
        Assert.Contains(fromFirst, r => r.Source.Schema == "test_*" && r.Source.Table == "" && r.Target!.Schema == "test");
        Assert.Contains(fromFirst, r => r.Source.Schema == "user" && r.Source.Table == "information");
        Assert.Equal(2, task.BinlogFilterRule!.Count(kv => kv.Key.StartsWith("mysql-replica-01-", StringComparison.Ordinal)));

        var json = ApiJson.Serialize(new ConverterTaskResponse { Task = task, TaskConfigFile = TaskConverter.ToTaskConfig(task, Sources).ToYaml() });
        var response = ApiJson.Deserialize<ConverterTaskResponse>(json);
        var reparsed = TaskConfig.FromYaml(response.TaskConfigFile);
        reparsed.Validate();
        Assert.Equal(2, reparsed.MysqlInstances.Count);
    }

    [Fact]
    public void Expression_filters_and_route_extractors_travel_through_the_api_task_and_back()
    {
        // DM's sample has an expression filter and a route with extract-table and extract-source.
        var yaml = SampleFiles.Read("task_advanced.yaml");
        var cfg = TaskConfig.FromYaml(yaml);
        var task = TaskConverter.ToApiTask(cfg, Sources);

        var rule = Assert.Single(task.ExpressionFilter!).Value;
        Assert.Equal(("test_1", "t_1", "c % 2 = 0"), (rule.Schema, rule.Table, rule.InsertValueExpr));
        // Each source lists the rules its mysql-instance names (an empty list: none; absent would mean all).
        Assert.Equal(cfg.MysqlInstances.Select(i => i.ExpressionFilters.Count), task.SourceConfig.SourceConf.Select(c => c.ExpressionFilters!.Count));
        Assert.Contains(task.TableMigrateRule, r => r.Target?.ExtractTable?.TargetColumn == "c_table" && r.Target.ExtractSource?.SourceRegexp == "mysql-(.*)");
        var json = ApiJson.Serialize(task);
        var compact = System.Text.Json.Nodes.JsonNode.Parse(json)!.ToJsonString();
        Assert.Contains("\"expression_filter\":{", compact);
        Assert.Contains("\"insert_value_expr\":\"c % 2 = 0\"", compact);
        Assert.Contains("\"extract_table\":{\"table_regexp\":\"t_(.*)\",\"target_column\":\"c_table\"}", compact);

        // The subtasks the master builds from the API task are those DM builds from the file.
        var fromApi = TaskConverter.ToSubTasks(ApiJson.Deserialize<DmTask>(json), Sources);
        var fromYaml = cfg.ToSubTasks(Sources);
        for (var i = 0; i < fromYaml.Count; i++)
        {
            Assert.Equal(fromYaml[i].ExpressionFilters.Select(f => (f.Schema, f.Table, f.InsertValueExpr, f.UpdateOldValueExpr, f.UpdateNewValueExpr, f.DeleteValueExpr)), fromApi[i].ExpressionFilters.Select(f => (f.Schema, f.Table, f.InsertValueExpr, f.UpdateOldValueExpr, f.UpdateNewValueExpr, f.DeleteValueExpr)));
            Assert.Equal(fromYaml[i].RouteRules.Where(r => r.ExtractTable is not null), fromApi[i].RouteRules.Where(r => r.ExtractTable is not null));
        }
        var back = TaskConverter.ToTaskConfig(task, Sources).ToYaml();
        Assert.Contains("insert-value-expr: c % 2 = 0", back.Replace("\"", ""));
        Assert.Contains("target-column: c_table", back.Replace("\"", ""));

        // A source that lists no names takes every rule; an unknown name or a bad expression is refused.
        var all = task with { SourceConfig = task.SourceConfig with { SourceConf = [.. task.SourceConfig.SourceConf.Select(c => c with { ExpressionFilters = null })] } };
        Assert.All(TaskConverter.ToSubTasks(all, Sources), st => Assert.Single(st.ExpressionFilters));
        var unknown = task with { SourceConfig = task.SourceConfig with { SourceConf = [.. task.SourceConfig.SourceConf.Select(c => c with { ExpressionFilters = ["nope"] })] } };
        Assert.Equal(49001, Assert.Throws<DmException>(() => TaskConverter.ToSubTasks(unknown, Sources)).Code);
        var bad = task with { ExpressionFilter = new(StringComparer.Ordinal) { [task.ExpressionFilter!.Keys.Single()] = rule with { InsertValueExpr = "nope(c)" } } };
        Assert.Equal(20041, Assert.Throws<DmException>(() => TaskConverter.ToSubTasks(bad, Sources)).Code);
    }

    [Fact]
    public void Unknown_source_and_filter_names_are_dm_errors()
    {
        var task = ApiTask();
        var missing = task with { SourceConfig = task.SourceConfig with { SourceConf = [new TaskSourceConf { SourceName = "nope" }] } };
        Assert.Equal(20031, Assert.Throws<DmException>(() => TaskConverter.ToSubTasks(missing, Sources)).Code);

        var badFilter = task with { TableMigrateRule = [task.TableMigrateRule[0] with { BinlogFilterRule = ["ghost"] }] };
        var ex = Assert.Throws<DmException>(() => TaskConverter.ToSubTasks(badFilter, Sources));
        Assert.Equal(49001, ex.Code);
        Assert.Contains("filter rule name ghost not found.", ex.Message);
    }

    [Fact]
    public void Import_into_rules()
    {
        var task = ApiTask();
        var importInto = task with { SourceConfig = task.SourceConfig with { FullMigrateConf = task.SourceConfig.FullMigrateConf! with { ImportMode = ImportMode.ImportInto } } };
        Assert.Equal(20068, Assert.Throws<DmException>(() => TaskConverter.ToSubTasks(importInto, Sources)).Code);
        var single = importInto with { SourceConfig = importInto.SourceConfig with { SourceConf = [importInto.SourceConfig.SourceConf[0]] } };
        Assert.Equal(20069, Assert.Throws<DmException>(() => TaskConverter.ToSubTasks(single, Sources)).Code);
    }

    [Fact]
    public void Meta_schema_defaults_to_dm_meta()
    {
        var task = ApiTask() with { MetaSchema = null };
        Assert.Equal("dm_meta", TaskConverter.ToSubTasks(task, Sources)[0].MetaSchema);
    }
}
