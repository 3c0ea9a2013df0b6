using Dm.Core.Api;
using Dm.Worker.Subtasks;
using Dm.Worker.Units;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dm.Worker.Tests.Subtasks;

/// <summary>The stage the master expects wins: a start that arrives while the previous run is still stopping is not lost.</summary>
public sealed class SubtaskRunnerStageTests
{
    /// <summary>A unit that runs until cancelled and then takes until <see cref="Release"/> to stop (a Sync unit flushing its checkpoint).</summary>
    private sealed class SlowStoppingUnit : IUnit
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _processed;

        public string Name => "Sync";
        public int Processed => Volatile.Read(ref _processed);
        public void Release() => _released.TrySetResult();

        public Task InitAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task<UnitResult> ProcessAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _processed);
            try { await Task.Delay(Timeout.Infinite, cancellationToken); }
            catch (OperationCanceledException) { }
            await _released.Task;
            return UnitResult.Paused;
        }

        public UnitStatus Status() => new(new SyncStatus
        {
            TotalEvents = 0, TotalTps = 0, RecentTps = 0, MasterBinlog = "", MasterBinlogGtid = "", SyncerBinlog = "", SyncerBinlogGtid = "",
            BlockingDdls = [], UnresolvedGroups = [], Synced = false, BinlogType = "remote", SecondsBehindMaster = 0, IoTotalBytes = 0,
            DumpIoTotalBytes = 0,
        });
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task A_start_while_the_previous_run_is_still_stopping_runs_again_once_it_has_stopped()
    {
        var unit = new SlowStoppingUnit();
        var config = new Dm.Core.Config.SubTaskConfig { Name = "t", SourceId = "s", Mode = Dm.Core.Config.TaskModes.Incremental };
        await using var runner = new SubtaskRunner(config, "w", [unit], NullLogger.Instance);
        runner.Expect(TaskStage.Running, generation: 1);
        await UntilAsync(() => unit.Processed == 1, "the first run to start");

        runner.Expect(TaskStage.Stopped, generation: 1);
        runner.Expect(TaskStage.Running, generation: 2); // arrives while the first run is still stopping
        unit.Release();

        await UntilAsync(() => unit.Processed == 2, "the start to run the unit again");
        Assert.Equal(TaskStage.Running, runner.Status().Stage);

        // A stop that stays a stop: nothing restarts.
        runner.Expect(TaskStage.Stopped, generation: 2);
        await UntilAsync(() => runner.Status().Stage == TaskStage.Paused, "the stop to pause the subtask");
        await Task.Delay(100);
        Assert.Equal(2, unit.Processed);
    }
}
