using Dm.Worker.Control;
using Dm.Worker.Tests.Subtasks;

namespace Dm.Worker.Tests.Control;

/// <summary>
/// When a worker cut off from every master stops its subtasks: two thirds of the TTL its last registration holds at the
/// masters (keepalive-ttl, or relay-keepalive-ttl while it pulls a relay log), counted from its last answered heartbeat.
/// </summary>
public sealed class KeepaliveLeaseTests
{
    private static readonly TimeSpan KeepAliveTtl = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RelayKeepAliveTtl = TimeSpan.FromSeconds(1800);

    [Fact]
    public void A_silent_worker_lapses_after_two_thirds_of_its_ttl_and_a_renewal_brings_it_back()
    {
        var clock = new ManualTimeProvider();
        var lease = new KeepaliveLease(clock, KeepAliveTtl);
        lease.Registered(KeepAliveTtl);
        clock.Advance(TimeSpan.FromSeconds(39));
        Assert.False(lease.Lapsing);
        var sent = lease.Now;
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(lease.Lapsing);
        Assert.Equal(TimeSpan.FromSeconds(41), lease.Silent);

        // A heartbeat sent 2 s ago is answered: renewed as of when it was sent.
        lease.Renewed(sent);
        Assert.False(lease.Lapsing);
        Assert.Equal(TimeSpan.FromSeconds(2), lease.Silent);
        // An older answer never moves the renewal back.
        lease.Renewed(sent - TimeSpan.FromSeconds(30).Ticks);
        Assert.Equal(TimeSpan.FromSeconds(2), lease.Silent);
        clock.Advance(TimeSpan.FromSeconds(39));
        Assert.True(lease.Lapsing);
    }

    [Fact]
    public void A_relaying_worker_is_held_for_the_relay_keepalive_ttl()
    {
        var clock = new ManualTimeProvider();
        var lease = new KeepaliveLease(clock, KeepAliveTtl);
        lease.Registered(RelayKeepAliveTtl);
        Assert.Equal(TimeSpan.FromSeconds(1200), lease.Limit);
        // The masters keep a relaying worker 1800 s: cut off for longer than keepalive-ttl, it goes on.
        clock.Advance(TimeSpan.FromSeconds(600));
        Assert.False(lease.Lapsing);
        clock.Advance(TimeSpan.FromSeconds(601));
        Assert.True(lease.Lapsing);

        // Registered again without relay: the shorter TTL applies from then on.
        lease.Registered(KeepAliveTtl);
        Assert.Equal(TimeSpan.FromSeconds(40), lease.Limit);
        clock.Advance(TimeSpan.FromSeconds(41));
        Assert.True(lease.Lapsing);
    }
}
