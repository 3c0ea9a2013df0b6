namespace Dm.Worker.Subtasks;

/// <summary>
/// How long auto-resume waits before it runs a failed unit again, as DM's task checker: 1 s, then a bound doubling per
/// resume up to 5 min, the wait drawn at random between 1 s and that bound (DM's jitter); each 5 min the subtask ran
/// healthily since its last resume takes the bound one step back. Waits run on a <see cref="TimeProvider"/>, so a test
/// can follow the sequence without sleeping.
/// </summary>
public sealed class ResumeBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Max = TimeSpan.FromMinutes(5);

    /// <summary>DM's backoff-rollback: this long running without an error undoes one doubling.</summary>
    public static readonly TimeSpan Rollback = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time;
    private readonly Func<double> _jitter;
    private int _step;
    private long _runningSince;

    /// <param name="time">The clock the waits run on (the system's by default).</param>
    /// <param name="jitter">A number in [0, 1] drawn for each wait (uniformly random by default).</param>
    public ResumeBackoff(TimeProvider? time = null, Func<double>? jitter = null)
    {
        _time = time ?? TimeProvider.System;
        _jitter = jitter ?? Random.Shared.NextDouble;
        _runningSince = _time.GetTimestamp();
    }

    /// <summary>A run starts afresh (the user started or resumed the subtask, or a unit finished): back to the first step.</summary>
    public void Restart()
    {
        _step = 0;
        _runningSince = _time.GetTimestamp();
    }

    /// <summary>The wait before the next resume; moves the bound one step on.</summary>
    public TimeSpan Next()
    {
        var healthy = _time.GetElapsedTime(_runningSince);
        _runningSince = _time.GetTimestamp(); // counted once: the subtask is not running while it waits
        _step = Math.Max(0, _step - (int)(healthy.Ticks / Rollback.Ticks));
        var bound = First.Ticks * Math.Pow(2, _step);
        var wait = First.Ticks + Math.Clamp(_jitter(), 0, 1) * (bound - First.Ticks);
        if (bound < Max.Ticks) _step++;
        return TimeSpan.FromTicks((long)Math.Min(wait, Max.Ticks));
    }

    /// <summary>Waits <paramref name="delay"/> on the clock; the subtask counts as running again from then on.</summary>
    public async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, _time, cancellationToken);
        _runningSince = _time.GetTimestamp();
    }
}
