using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;
using Dm.Worker.Sync.Planning;

namespace Dm.Worker.Tests.Sync.Planning;

/// <summary>When row changes replay idempotently: the syncer's safe_mode, the dump's exit point, safe_mode_time_duration.</summary>
public sealed class SafeModeTests
{
    private const uint T0 = 1_700_000_000;
    private static readonly BinlogLocation Exit = new("binlog.000002", 500);

    private static BinlogPosition At(string file, long offset) => new(file, offset);

    [Fact]
    public void Off_unless_asked()
    {
        var safeMode = new SafeMode(always: false, dumpExit: null, duration: null);
        Assert.False(safeMode.IsOn(T0, At("binlog.000001", 4)));
        Assert.Null(safeMode.ExitAfter(new BinlogLocation("binlog.000001", 4)));
    }

    [Fact]
    public void The_syncers_safe_mode_is_always_on()
    {
        var safeMode = new SafeMode(always: true, dumpExit: null, duration: TimeSpan.FromSeconds(1));
        Assert.True(safeMode.IsOn(T0, At("binlog.000001", 4)));
        Assert.True(safeMode.IsOn(T0 + 3600, At("binlog.000009", 4)));
    }

    [Fact]
    public void On_up_to_and_including_the_dumps_exit_point()
    {
        var safeMode = new SafeMode(always: false, Exit, duration: null);
        Assert.True(safeMode.IsOn(T0, At("binlog.000001", 9000)));
        Assert.True(safeMode.IsOn(T0, At("binlog.000002", 499)));
        Assert.True(safeMode.IsOn(T0, At("binlog.000002", 500)));
        Assert.False(safeMode.IsOn(T0, At("binlog.000002", 501)));
        Assert.False(safeMode.IsOn(T0, At("binlog.000003", 4)));
        // An exit point known only by its GTID set has no position to compare with.
        var byGtid = new SafeMode(always: false, BinlogLocation.AtGtid(GtidSet.ParseEither("0-1-5")!), duration: null);
        Assert.False(byGtid.IsOn(T0, At("binlog.000001", 4)));
    }

    [Fact]
    public void A_duration_counts_from_the_first_row_change_in_upstream_time()
    {
        var safeMode = new SafeMode(always: false, dumpExit: null, TimeSpan.FromSeconds(60));
        Assert.True(safeMode.IsOn(T0, At("binlog.000001", 4)));
        Assert.True(safeMode.IsOn(T0 + 60, At("binlog.000001", 400)));
        Assert.False(safeMode.IsOn(T0 + 61, At("binlog.000001", 800)));
        Assert.True(safeMode.IsOn(T0 + 30, At("binlog.000001", 900))); // by the event's own time, not the order of reading
    }

    [Fact]
    public void The_exit_point_is_recorded_while_the_checkpoint_is_before_it()
    {
        var safeMode = new SafeMode(always: false, Exit, duration: null);
        Assert.Equal(Exit, safeMode.ExitAfter(new BinlogLocation("binlog.000001", 9000)));
        Assert.Equal(Exit, safeMode.ExitAfter(new BinlogLocation("binlog.000002", 499)));
        Assert.Null(safeMode.ExitAfter(new BinlogLocation("binlog.000002", 500)));
        Assert.Null(safeMode.ExitAfter(new BinlogLocation("binlog.000003", 4)));
        Assert.Null(safeMode.ExitAfter(BinlogLocation.AtGtid(GtidSet.ParseEither("0-1-5")!)));
    }
}
