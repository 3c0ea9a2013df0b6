using Dm.Core.Config;
using Dm.Ctl.TaskFiles;

namespace Dm.Ctl.Tests;

/// <summary>The conversions start-task and config import rely on, without a master.</summary>
public sealed class TaskConversionTests
{
    private static readonly Dictionary<string, SourceConfig> Sources = new()
    {
        ["x-src"] = new SourceConfig { SourceId = "x-src", From = new DbConfig { Host = "127.0.0.1", Port = 3306, User = "root", Password = "p" } },
    };

    private static readonly Dictionary<string, List<(string, string)>> Tables = new()
    {
        ["x-src"] = [("shop", ""), ("shop", "orders"), ("shop", "customers"), ("logs", ""), ("logs", "events_2024"), ("scratch", ""), ("scratch", "tmp")],
    };

    private static (List<SubTaskConfig> Yaml, List<SubTaskConfig> Api) Convert(string yaml)
    {
        var cfg = TaskConfig.FromYaml(yaml);
        var api = FilterRuleMerger.Merge(TaskConverter.ToApiTask(cfg, Sources));
        return (cfg.ToSubTasks(Sources), TaskConverter.ToSubTasks(api, Sources));
    }

    [Fact]
    public void SampleTaskSurvivesTheOpenApiUnchanged()
    {
        var (yaml, api) = Convert(SampleConfigs.Task("x-task", ("127.0.0.1", 3306, "root", "pw"), "full", "x-src"));
        Assert.Empty(TaskFidelity.Differences(yaml, api, Tables));
    }

    [Fact]
    public void ExportedYamlImportsAgainWithoutDuplicateFilters()
    {
        var first = TaskConverter.ToApiTask(TaskConfig.FromYaml(SampleConfigs.Task("x-task", ("127.0.0.1", 3306, "root", "pw"), "full", "x-src")), Sources);
        var exported = TaskConverter.ToTaskConfig(first, Sources).ToYaml();
        var (yaml, api) = Convert(exported);
        foreach (var st in api)
        {
            st.Adjust();
            st.CompileRules();
        }
        Assert.Empty(TaskFidelity.Differences(yaml, api, Tables));
    }

    [Fact]
    public void IgnoredTablesAndDoFiltersAreReportedAsDifferences()
    {
        var sample = SampleConfigs.Task("x-task", ("127.0.0.1", 3306, "root", "pw"), "full", "x-src");
        var ignore = sample.Replace("do-dbs: [\"shop\", \"logs\"]", "do-dbs: [\"shop\", \"logs\"]\n    ignore-tables:\n    - db-name: \"shop\"\n      tbl-name: \"customers\"");
        var (yaml, api) = Convert(ignore);
        Assert.Contains("x-src: table shop.customers is not migrated by the file's block-allow-list but would be", TaskFidelity.Differences(yaml, api, Tables));

        var threads = sample.Replace("worker-count: 16", "worker-count: 16\n    compact: true");
        (yaml, api) = Convert(threads);
        Assert.Contains("x-src: syncer compact is True in the file but would be False", TaskFidelity.Differences(yaml, api, Tables));
    }
}
