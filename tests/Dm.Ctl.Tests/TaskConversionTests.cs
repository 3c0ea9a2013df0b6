using Dm.Core.Api;
using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Ctl.TaskFiles;

namespace Dm.Ctl.Tests;

/// <summary>
/// The conversions start-task and config import rely on, without a master: the task.yaml travels in DM#'s
/// task_config_file and the subtasks come from it, so what the OpenAPI task cannot say (ignore-tables, compact,
/// multiple-rows, queue-size ...) is kept; what DM# does not apply is refused naming the key.
/// </summary>
public sealed class TaskConversionTests
{
    private static readonly Dictionary<string, SourceConfig> Sources = new()
    {
        ["x-src"] = new SourceConfig { SourceId = "x-src", From = new DbConfig { Host = "127.0.0.1", Port = 3306, User = "root", Password = "p" } },
    };

    private static string Sample => SampleConfigs.Task("x-task", ("127.0.0.1", 3306, "root", "pw"), "full", "x-src");

    private static (List<SubTaskConfig> Yaml, List<SubTaskConfig> Api) Convert(string yaml)
    {
        var cfg = TaskConfig.FromYaml(yaml);
        var api = FilterRuleMerger.Merge(TaskConverter.ToApiTask(cfg, Sources)) with { TaskConfigFile = yaml };
        return (cfg.ToSubTasks(Sources), TaskConverter.ToSubTasks(api, Sources));
    }

    [Fact]
    public void The_file_s_subtasks_are_the_ones_the_master_runs()
    {
        var file = Sample
            .Replace("do-dbs: [\"shop\", \"logs\"]", "do-dbs: [\"shop\", \"logs\"]\n    ignore-tables:\n    - db-name: \"shop\"\n      tbl-name: \"customers\"")
            .Replace("worker-count: 16", "worker-count: 16\n    compact: true\n    multiple-rows: true\n    queue-size: 64");
        var (yaml, api) = Convert(file);
        var (fromFile, run) = (Assert.Single(yaml), Assert.Single(api));
        Assert.True(run.Syncer.Compact);
        Assert.True(run.Syncer.MultipleRows);
        Assert.Equal(64, run.Syncer.QueueSize);
        Assert.False(run.CreateBlockAllowListFilter().Match("shop", "customers"));
        Assert.True(run.CreateBlockAllowListFilter().Match("shop", "orders"));
        Assert.Equal(fromFile.ToYaml(), run.ToYaml());
    }

    [Fact]
    public void An_exported_task_imports_again()
    {
        var first = TaskConverter.ToApiTask(TaskConfig.FromYaml(Sample), Sources);
        var exported = TaskConverter.ToTaskConfig(first, Sources).ToYaml();
        var (yaml, api) = Convert(exported);
        Assert.Equal(Assert.Single(yaml).ToYaml(), Assert.Single(api).ToYaml());
    }

    [Fact]
    public void A_setting_DM_sharp_does_not_apply_is_refused_naming_its_key()
    {
        var file = Sample.TrimEnd() + "\ncollation_compatible: \"strict\"\n";
        var error = Assert.Throws<DmException>(() => Convert(file));
        Assert.Equal(20003, error.Error.Code);
        Assert.Contains("collation_compatible is strict", error.Message);
    }

    [Fact]
    public void The_file_keeps_every_key_as_given_with_the_password_hidden()
    {
        var file = "# a comment\n" + Sample;
        var hidden = DmTaskFile.HidePassword(file);
        Assert.DoesNotContain("\"pw\"", hidden);
        Assert.Equal(file.Replace("password: \"pw\"", "password: \"******\""), hidden);
        Assert.Equal(hidden, DmTaskFile.HidePassword(hidden));
        var task = TaskConverter.ToApiTask(TaskConfig.FromYaml(file), Sources) with { TaskConfigFile = file };
        Assert.Equal(hidden, PasswordMask.Hide(task).TaskConfigFile);
    }
}
