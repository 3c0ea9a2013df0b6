using Dm.Core.Config;
using Google.Protobuf;

namespace Dm.Contracts.Tests;

/// <summary>
/// A subtask config and a source config go through the worker channel unchanged: model → message → bytes →
/// message → model gives the same model, every property compared (so a property without a field fails here), and the
/// same YAML.
/// </summary>
public sealed class ConfigMappingTests
{
    private static SubTaskConfig RoundTrip(SubTaskConfig config) =>
        ContractMapping.ToConfig(Configs.SubtaskConfig.Parser.ParseFrom(ContractMapping.ToMessage(config).ToByteArray()));

    private static SourceConfig RoundTrip(SourceConfig config) =>
        ContractMapping.ToConfig(Configs.SourceConfig.Parser.ParseFrom(ContractMapping.ToMessage(config).ToByteArray()));

    [Fact]
    public void Every_property_of_a_subtask_config_comes_back()
    {
        var config = new ModelFiller().Fill<SubTaskConfig>();
        Assert.NotNull(config.Meta);
        Assert.NotNull(config.From.Session);
        Assert.NotNull(config.RouteRules[0].ExtractSource);
        var back = RoundTrip(config);
        Assert.Equal(ModelText.Of(config), ModelText.Of(back));
        Assert.Equal(config.ToYaml(), back.ToYaml());
    }

    [Fact]
    public void A_subtask_config_without_its_optional_parts_comes_back_without_them()
    {
        var config = new SubTaskConfig();
        var back = RoundTrip(config);
        Assert.Null(back.Meta);
        Assert.Null(back.BlockAllowList);
        Assert.Null(back.From.Session);
        Assert.Null(back.From.Security);
        Assert.Null(back.From.MaxAllowedPacket);
        Assert.Null(back.Loader.Security);
        Assert.Equal(ModelText.Of(config), ModelText.Of(back));
        Assert.Equal(config.ToYaml(), back.ToYaml());
    }

    [Fact]
    public void The_subtasks_of_dms_sample_task_come_back_as_resolved()
    {
        var source = SourceConfig.FromYaml(DmSamples.Read("source.yaml"));
        var sources = new Dictionary<string, SourceConfig>
        {
            ["mysql-replica-01"] = source,
            ["mysql-replica-02"] = source.Clone(),
        };
        sources["mysql-replica-02"].SourceId = "mysql-replica-02";
        var task = TaskConfig.FromYaml(DmSamples.Read("task_advanced.yaml"));
        task.Validate();
        var subtasks = task.ToSubTasks(sources);
        Assert.Equal(2, subtasks.Count);
        foreach (var subtask in subtasks)
        {
            var back = RoundTrip(subtask);
            Assert.Equal(ModelText.Of(subtask), ModelText.Of(back));
            Assert.Equal(subtask.ToYaml(), back.ToYaml());
        }
    }

    [Fact]
    public void Every_property_of_a_source_config_comes_back()
    {
        var config = new ModelFiller().Fill<SourceConfig>();
        var back = RoundTrip(config);
        Assert.Equal(ModelText.Of(config), ModelText.Of(back));
        Assert.Equal(config.ToYaml(), back.ToYaml());

        var sample = SourceConfig.FromYaml(DmSamples.Read("source.yaml"));
        Assert.Equal(sample.ToYaml(), RoundTrip(sample).ToYaml());
        Assert.Equal(ModelText.Of(new SourceConfig()), ModelText.Of(RoundTrip(new SourceConfig())));
    }

    [Fact]
    public void The_same_config_makes_the_same_message_bytes()
    {
        var config = new ModelFiller().Fill<SubTaskConfig>();
        Assert.Equal(ContractMapping.ToMessage(config), ContractMapping.ToMessage(RoundTrip(config)));
        Assert.Equal(ContractMapping.ToMessage(config).ToByteArray(), ContractMapping.ToMessage(RoundTrip(config)).ToByteArray());
    }

    [Fact]
    public void A_message_with_a_malformed_duration_cannot_be_read()
    {
        var message = ContractMapping.ToMessage(new SourceConfig());
        message.Checker.BackoffMax = new Google.Protobuf.WellKnownTypes.Duration { Seconds = 1, Nanos = -1 };
        Assert.ThrowsAny<InvalidOperationException>(() => ContractMapping.ToConfig(message));
    }
}
