using Dm.Core.Api;
using Dm.Master.Workers;

namespace Dm.Master.Tests;

/// <summary>When a task deletion may drop the meta tables: only once the worker reported the subtask gone after the deletion.</summary>
public sealed class WorkerStatusBoardTests
{
    private static SubTaskStatus Running(string task, string source) =>
        new() { Name = task, SourceName = source, WorkerName = "w1", Stage = TaskStage.Running, Unit = "Sync" };

    [Fact]
    public void A_worker_that_never_reported_runs_nothing()
    {
        Assert.False(new WorkerStatusBoard().MayStillRun("w1", "t", "s", DateTimeOffset.UtcNow));
    }

    [Fact]
    public void A_report_listing_the_subtask_keeps_it_running()
    {
        var board = new WorkerStatusBoard();
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        board.Report("w1", [Running("t", "s")]);
        Assert.True(board.MayStillRun("w1", "t", "s", since));
        Assert.False(board.MayStillRun("w1", "t", "other-source", since));
    }

    [Fact]
    public void A_report_without_the_subtask_counts_only_when_received_after_the_deletion()
    {
        var board = new WorkerStatusBoard();
        board.Report("w1", []);
        Assert.True(board.MayStillRun("w1", "t", "s", DateTimeOffset.UtcNow.AddSeconds(1)));
        Assert.False(board.MayStillRun("w1", "t", "s", DateTimeOffset.UtcNow.AddSeconds(-1)));
    }
}
