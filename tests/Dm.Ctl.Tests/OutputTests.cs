using System.Text.Json.Nodes;
using Dm.Ctl.Commands;
using Dm.Ctl.Output;

namespace Dm.Ctl.Tests;

public sealed class OutputTests
{
    [Fact]
    public void JsonIsIndentedWithFourSpacesResultAndMsgFirst()
    {
        var result = ResultJson.Ok();
        result["sources"] = new JsonArray(ResultJson.SourceLine("mysql-01", "worker1"));
        var text = ResultJson.Render(result);
        Assert.StartsWith("{\n    \"result\": true,\n    \"msg\": \"\",\n    \"sources\": [", text.Replace("\r", ""));
    }

    [Fact]
    public void TableFlattensNestedObjectsAndListsNestedRowsSeparately()
    {
        var result = JsonNode.Parse("""
            {"result": true, "msg": "", "sources": [
              {"result": true, "msg": "", "sourceStatus": {"source": "s1", "worker": "w1"},
               "subTaskStatus": [{"name": "t", "stage": "Running", "unit": "Sync"}]}]}
            """)!.AsObject();
        var text = TableRenderer.Render(result);
        Assert.Contains("sourceStatus.source", text);
        Assert.Contains("sources.subTaskStatus:", text);
        Assert.Contains(text.Split('\n'), l => l.StartsWith("t ", StringComparison.Ordinal) && l.Contains("Running") && l.Contains("Sync"));
    }

    [Theory]
    [InlineData("45.00 %", "[##############----------------]  45.00 %")]
    [InlineData("100.00 %", "[##############################] 100.00 %")]
    [InlineData(null, "[------------------------------]   0.00 %")]
    public void ProgressBarsFollowDmProgressText(string? progress, string bar) => Assert.Equal(bar, StatusWatch.Bar(progress));

    [Fact]
    public void SummaryStatusPrefersErrorsThenPaused()
    {
        static Dm.Core.Api.SubTaskStatus S(Dm.Core.Api.TaskStage stage, string? error = null) =>
            new() { Name = "t", SourceName = "s", WorkerName = "w", Stage = stage, Unit = "Sync", ErrorMsg = error };
        Assert.StartsWith("Error - Some error occurred in subtask", QueryStatusCommand.TaskStatusText("t", [S(Dm.Core.Api.TaskStage.Running), S(Dm.Core.Api.TaskStage.Paused, "boom")]));
        Assert.Equal("Paused", QueryStatusCommand.TaskStatusText("t", [S(Dm.Core.Api.TaskStage.Running), S(Dm.Core.Api.TaskStage.Paused)]));
        Assert.Equal("Running", QueryStatusCommand.TaskStatusText("t", [S(Dm.Core.Api.TaskStage.Running), S(Dm.Core.Api.TaskStage.Running)]));
    }
}
