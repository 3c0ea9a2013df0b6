using System.Threading.Channels;

namespace Dm.Worker.Tests.Subtasks;

/// <summary>
/// A clock that moves only when a test says so. Every timer created on it (a <c>Task.Delay</c> on this provider) is
/// handed to the test through <see cref="NextTimerAsync"/>, which fires it when it chooses: a test sees each wait
/// asked for, and its length, without sleeping.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly Channel<ManualTimer> _timers = Channel.CreateUnbounded<ManualTimer>();
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch + TimeSpan.FromTicks(GetTimestamp());

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state, dueTime);
        _timers.Writer.TryWrite(timer);
        return timer;
    }

    /// <summary>The next timer someone created (within 10 s).</summary>
    public async Task<ManualTimer> NextTimerAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _timers.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>Whether a timer was created and not yet taken by <see cref="NextTimerAsync"/>.</summary>
    public bool HasPendingTimer => _timers.Reader.Count > 0;

    /// <summary>One wait on the manual clock.</summary>
    internal sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state, TimeSpan dueTime) : ITimer
    {
        public TimeSpan DueTime { get; private set; } = dueTime;

        /// <summary>Moves the clock to the timer's due time and runs its callback, as if the wait had passed.</summary>
        public void Fire()
        {
            clock.Advance(DueTime);
            callback(state);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            DueTime = dueTime;
            return true;
        }

        public void Dispose() { }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
