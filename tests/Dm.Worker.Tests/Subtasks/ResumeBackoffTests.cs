using Dm.Worker.Subtasks;

namespace Dm.Worker.Tests.Subtasks;

/// <summary>Auto-resume's waits, as DM's: from 1 s, a bound doubling to 5 min, DM's jitter, and one step back per 5 healthy minutes.</summary>
public sealed class ResumeBackoffTests
{
    private static TimeSpan[] Waits(ResumeBackoff backoff, int count) => Enumerable.Range(0, count).Select(_ => backoff.Next()).ToArray();

    private static TimeSpan[] Seconds(params double[] seconds) => seconds.Select(TimeSpan.FromSeconds).ToArray();

    [Fact]
    public void At_the_top_of_the_jitter_the_waits_double_from_one_second_to_five_minutes()
    {
        var backoff = new ResumeBackoff(new ManualTimeProvider(), () => 1);
        Assert.Equal(Seconds(1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300), Waits(backoff, 12));
    }

    [Fact]
    public void The_jitter_draws_each_wait_between_one_second_and_the_bound()
    {
        Assert.Equal(Seconds(1, 1.5, 2.5, 4.5, 8.5), Waits(new ResumeBackoff(new ManualTimeProvider(), () => 0.5), 5));
        Assert.Equal(Seconds(1, 1, 1, 1), Waits(new ResumeBackoff(new ManualTimeProvider(), () => 0), 4));
        var random = new ResumeBackoff(new ManualTimeProvider());
        foreach (var (wait, bound) in Waits(random, 12).Zip(Seconds(1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300)))
            Assert.InRange(wait, TimeSpan.FromSeconds(1), bound);
    }

    [Fact]
    public async Task Each_five_minutes_of_healthy_running_since_the_last_resume_take_one_step_back()
    {
        var clock = new ManualTimeProvider();
        var backoff = new ResumeBackoff(clock, () => 1);
        Assert.Equal(Seconds(1, 2, 4, 8), Waits(backoff, 4));
        var waiting = backoff.WaitAsync(TimeSpan.FromSeconds(16), CancellationToken.None);
        (await clock.NextTimerAsync()).Fire();
        await waiting;
        clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1)); // ran 10 min after that resume: two steps back
        Assert.Equal(Seconds(4, 8), Waits(backoff, 2));
        clock.Advance(TimeSpan.FromHours(1)); // never below the first step
        Assert.Equal(Seconds(1), Waits(backoff, 1));
    }

    [Fact]
    public void A_restart_starts_again_from_one_second()
    {
        var backoff = new ResumeBackoff(new ManualTimeProvider(), () => 1);
        Waits(backoff, 6);
        backoff.Restart();
        Assert.Equal(Seconds(1, 2), Waits(backoff, 2));
    }
}
