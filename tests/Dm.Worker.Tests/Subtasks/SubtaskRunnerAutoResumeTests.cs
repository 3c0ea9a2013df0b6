using Dm.Core.Api;
using Dm.Core.Errors;
using Dm.Worker.Errors;
using Dm.Worker.Subtasks;
using Dm.Worker.Units;

namespace Dm.Worker.Tests.Subtasks;

/// <summary>A subtask resumes a failed unit after its backoff, showing the error meanwhile, unless the error needs the user.</summary>
public sealed class SubtaskRunnerAutoResumeTests
{
    private static readonly UnitResult Transient = UnitResult.Failed(DmErrors.ErrDBBadConn.New(), ErrorKind.Transient);
    private static readonly UnitResult Fatal = UnitResult.Failed(DmErrors.ErrSyncerEvent.WithMessage("a bug"), ErrorKind.Fatal);
    private static readonly UnitResult NeedsUser = UnitResult.Failed(DmErrors.ErrSyncerParseDDL.WithMessage("parse DDL: x"), ErrorKind.NeedsUser);

    private static (SubtaskRunner Runner, ManualTimeProvider Clock) Runner(params IUnit[] units)
    {
        var clock = new ManualTimeProvider();
        var config = new Dm.Core.Config.SubTaskConfig { Name = "t", SourceId = "s", Mode = Dm.Core.Config.TaskModes.All };
        var logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        return (new SubtaskRunner(config, "w", units, logger, new ResumeBackoff(clock, () => 1)), clock);
    }

    private static async Task<SubTaskStatus> UntilAsync(SubtaskRunner runner, Func<SubTaskStatus, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var status = runner.Status();
            if (condition(status)) return status;
            Assert.True(DateTime.UtcNow < deadline, $"{what}: stage {status.Stage}, error {status.ErrorMsg}");
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task Transient_and_fatal_failures_are_resumed_after_a_doubling_wait_that_shows_the_error()
    {
        var dump = new ScriptedUnit("Dump", Transient, Fatal, Transient);
        var load = new ScriptedUnit("Load", Transient);
        var (runner, clock) = Runner(dump, load);
        await using var _ = runner;
        runner.Expect(TaskStage.Running, generation: 1);

        foreach (var (seconds, code) in new[] { (1, DmErrors.ErrDBBadConn.Code), (2, DmErrors.ErrSyncerEvent.Code), (4, DmErrors.ErrDBBadConn.Code) })
        {
            var timer = await clock.NextTimerAsync();
            Assert.Equal(TimeSpan.FromSeconds(seconds), timer.DueTime);
            var waiting = runner.Status();
            Assert.Equal(TaskStage.Paused, waiting.Stage);
            Assert.Contains($"code={code}", waiting.ErrorMsg);
            timer.Fire();
        }
        // A finished unit starts the next one from the first step again.
        var afterLoadFailed = await clock.NextTimerAsync();
        Assert.Equal(TimeSpan.FromSeconds(1), afterLoadFailed.DueTime);
        Assert.Equal("Load", runner.Status().Unit);
        afterLoadFailed.Fire();

        var done = await UntilAsync(runner, s => s.Stage == TaskStage.Finished, "the subtask to finish");
        Assert.Null(done.ErrorMsg);
        Assert.Equal((4, 2), (dump.Processed, load.Processed));
    }

    [Fact]
    public async Task An_error_that_needs_the_user_is_not_resumed_until_the_user_starts_the_task_again()
    {
        var sync = new ScriptedUnit("Sync", NeedsUser);
        var (runner, clock) = Runner(sync);
        await using var _ = runner;
        runner.Expect(TaskStage.Running, generation: 1);

        var paused = await UntilAsync(runner, s => s.Stage == TaskStage.Paused, "the subtask to pause");
        Assert.Contains("code=36067", paused.ErrorMsg);
        await Task.Delay(100);
        Assert.False(clock.HasPendingTimer);
        runner.Expect(TaskStage.Running, generation: 1); // the master repeating its expectation is not the user
        await Task.Delay(100);
        Assert.Equal((TaskStage.Paused, 1), (runner.Status().Stage, sync.Processed));

        runner.Expect(TaskStage.Running, generation: 2); // start-task / resume-task
        await UntilAsync(runner, s => s.Stage == TaskStage.Finished, "the subtask to finish after the user's start");
        Assert.Equal(2, sync.Processed);
    }

    [Fact]
    public async Task A_unit_whose_init_cannot_reach_its_database_is_resumed_but_one_refused_by_its_config_is_not()
    {
        var unreachable = new ScriptedUnit("Dump");
        var refused = new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused);
        unreachable.InitFailures.Enqueue(new Dm.Core.Upstream.UpstreamException(10001, "cannot connect", refused) { ConnectFailed = true });
        var (runner, clock) = Runner(unreachable);
        await using (runner)
        {
            runner.Expect(TaskStage.Running, generation: 1);
            var timer = await clock.NextTimerAsync();
            Assert.Contains("code=10001", runner.Status().ErrorMsg);
            timer.Fire();
            await UntilAsync(runner, s => s.Stage == TaskStage.Finished, "the subtask to finish once its database is back");
        }

        var misconfigured = new ScriptedUnit("Dump");
        misconfigured.InitFailures.Enqueue(DmErrors.ErrDumpUnitRuntime.New("extra-args option '--no-locks' is not supported"));
        var (second, secondClock) = Runner(misconfigured);
        await using (second)
        {
            second.Expect(TaskStage.Running, generation: 1);
            var paused = await UntilAsync(second, s => s.Stage == TaskStage.Paused, "the subtask to pause");
            Assert.Contains("code=32001", paused.ErrorMsg);
            await Task.Delay(100);
            Assert.False(secondClock.HasPendingTimer);
        }
    }

    [Fact]
    public async Task Pausing_while_it_waits_cancels_the_wait()
    {
        var (runner, clock) = Runner(new ScriptedUnit("Sync", Transient));
        await using var _ = runner;
        runner.Expect(TaskStage.Running, generation: 1);
        await clock.NextTimerAsync();
        runner.Expect(TaskStage.Paused, generation: 1);
        var paused = await UntilAsync(runner, s => s.Stage == TaskStage.Paused, "the subtask to pause");
        Assert.Contains("code=10002", paused.ErrorMsg);
    }
}
