using Dm.Worker.Control;

namespace Dm.Worker.Tests;

/// <summary>The status query-status shows comes with heartbeats: at least every second, whatever the keepalive TTL.</summary>
public sealed class HeartbeatPeriodTests
{
    [Theory]
    [InlineData(60_000, 1_000)] // DM's default TTL: a third would leave the status 20 s stale
    [InlineData(3_000, 1_000)]
    [InlineData(1_500, 500)]
    [InlineData(300, 200)]
    public void Heartbeats_go_every_second_or_every_third_of_a_shorter_ttl(int ttlMs, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), WorkerAgent.HeartbeatPeriod(TimeSpan.FromMilliseconds(ttlMs)));
}
