using Dm.Core.Config;
using Dm.Worker.Sync;

namespace Dm.Worker.Tests.Sync;

/// <summary>
/// The task's <c>syncers.safe-mode-duration</c> is applied (it was refused before): a window other than DM's default
/// (2 × checkpoint-flush-interval) is run in safe mode from each run's first event; start-task's duration wins.
/// </summary>
public sealed class SafeModeDurationTests
{
    [Theory]
    [InlineData("60s", 30, null)] // DM's default: the automatic window after an unclean stop, which exact checkpoints never need
    [InlineData("10s", 5, null)] // the default for a flush interval of 5
    [InlineData("1m", 30, null)] // the default, written another way
    [InlineData("0s", 30, null)] // DM: never enter automatic safe mode
    [InlineData("5m", 30, 300)]
    [InlineData("90s", 30, 90)]
    public void The_task_s_window_is_applied_unless_it_is_DMs_default(string duration, int flushInterval, int? expectedSeconds)
    {
        var settings = Settings(duration, flushInterval);
        Assert.Equal(expectedSeconds is { } s ? TimeSpan.FromSeconds(s) : null, settings.EffectiveSafeModeDuration);
    }

    [Fact]
    public void Start_task_s_safe_mode_duration_wins_over_the_task_s()
    {
        var settings = Settings("5m", 30) with { SafeModeDuration = TimeSpan.FromSeconds(20) };
        Assert.Equal(TimeSpan.FromSeconds(20), settings.EffectiveSafeModeDuration);
    }

    [Fact]
    public void Dmctl_no_longer_refuses_a_task_with_its_own_window()
    {
        var config = new SubTaskConfig { SourceId = "s", Syncer = new SyncerConfig { SafeModeDuration = "5m", CheckpointFlushInterval = 30 } };
        UnitSettingSupport.Check(config);
    }

    private static SyncSettings Settings(string duration, int flushInterval) =>
        new(new SubTaskConfig { Syncer = new SyncerConfig { SafeModeDuration = duration, CheckpointFlushInterval = flushInterval } },
            new SourceConfig(), null!, null!);
}
