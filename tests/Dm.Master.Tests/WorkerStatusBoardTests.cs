using Dm.Core.Api;
using Dm.Master.Workers;

namespace Dm.Master.Tests;

/// <summary>
/// When a task deletion at some store revision may drop the meta tables: only once the worker, having applied that
/// revision's desired state, reports the subtask gone.
/// </summary>
public sealed class WorkerStatusBoardTests
{
    private static SubTaskStatus Running(string task, string source) =>
        new() { Name = task, SourceName = source, WorkerName = "w1", Stage = TaskStage.Running, Unit = "Sync" };

    [Fact]
    public void No_report_yet_proves_nothing()
    {
        Assert.True(new WorkerStatusBoard().MayStillRun("w1", "t", "s", revision: 5));
    }

    [Fact]
    public void A_report_listing_the_subtask_keeps_it_running_whatever_its_revision()
    {
        var board = new WorkerStatusBoard();
        board.Report("w1", [Running("t", "s")], appliedRevision: 9);
        Assert.True(board.MayStillRun("w1", "t", "s", revision: 5));
        Assert.False(board.MayStillRun("w1", "t", "other-source", revision: 5));
    }

    [Fact]
    public void A_report_without_the_subtask_counts_only_once_the_deletion_is_applied()
    {
        var board = new WorkerStatusBoard();
        board.Report("w1", [], appliedRevision: 4);
        Assert.True(board.MayStillRun("w1", "t", "s", revision: 5));
        board.Report("w1", [], appliedRevision: 5);
        Assert.False(board.MayStillRun("w1", "t", "s", revision: 5));
    }
}
