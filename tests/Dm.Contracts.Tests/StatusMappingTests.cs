using Dm.Core.Api;

namespace Dm.Contracts.Tests;

/// <summary>A subtask's and a relay log's status go from worker to master unchanged, as the OpenAPI shows them, and so does the stage.</summary>
public sealed class StatusMappingTests
{
    private static SubTaskStatus RoundTrip(SubTaskStatus status) =>
        ContractMapping.ToApi(Statuses.SubtaskStatus.Parser.ParseFrom(Google.Protobuf.MessageExtensions.ToByteArray(ContractMapping.ToMessage(status))));

    [Theory]
    [InlineData("Dump")]
    [InlineData("Load")]
    [InlineData("Sync")]
    [InlineData("InvalidUnit")]
    public void Every_property_of_a_status_comes_back(string unit)
    {
        var status = new ModelFiller().Fill<SubTaskStatus>() with { Unit = unit };
        Assert.NotNull(status.SyncStatus);
        Assert.NotEmpty(status.SyncStatus.UnresolvedGroups);
        var back = RoundTrip(status);
        Assert.Equal(ModelText.Of(status), ModelText.Of(back));
        Assert.Equal(ApiJson.Serialize(status), ApiJson.Serialize(back));
    }

    [Fact]
    public void Every_property_of_a_relay_status_comes_back()
    {
        var status = new ModelFiller().Fill<RelayStatus>();
        var back = ContractMapping.ToApi(Statuses.RelayStatus.Parser.ParseFrom(Google.Protobuf.MessageExtensions.ToByteArray(ContractMapping.ToMessage(status))));
        Assert.Equal(ApiJson.Serialize(status), ApiJson.Serialize(back));
        Assert.Equal(status, back);
    }

    [Fact]
    public void A_status_before_the_first_start_comes_back_without_progress_or_error()
    {
        var status = new SubTaskStatus { Name = "t", SourceName = "s", WorkerName = "w", Stage = TaskStage.Stopped, Unit = "InvalidUnit" };
        var back = RoundTrip(status);
        Assert.Null(back.ErrorMsg);
        Assert.Null(back.DumpStatus);
        Assert.Null(back.LoadStatus);
        Assert.Null(back.SyncStatus);
        Assert.Equal(ApiJson.Serialize(status), ApiJson.Serialize(back));
    }

    [Fact]
    public void An_empty_error_message_is_not_a_missing_one()
    {
        var status = new SubTaskStatus { Name = "t", SourceName = "s", WorkerName = "w", Stage = TaskStage.Paused, Unit = "Sync", ErrorMsg = "" };
        Assert.Equal("", RoundTrip(status).ErrorMsg);
    }

    [Fact]
    public void Every_stage_maps_to_its_message_and_back_and_an_unspecified_one_is_refused()
    {
        foreach (var stage in Enum.GetValues<TaskStage>())
            Assert.Equal(stage, ContractMapping.ToApi(ContractMapping.ToMessage(stage)));
        Assert.Equal(Stage.Running, ContractMapping.ToMessage(TaskStage.Running));
        Assert.Throws<InvalidDataException>(() => ContractMapping.ToApi(Stage.Unspecified));
    }
}
