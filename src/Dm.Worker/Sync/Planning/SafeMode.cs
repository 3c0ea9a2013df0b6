using Dm.Binlog.Replication;

namespace Dm.Worker.Sync.Planning;

/// <summary>
/// Whether a row change is replayed idempotently (REPLACE / DELETE+REPLACE, see <see cref="RowChangePlanner"/>): always
/// with the syncer's <c>safe_mode</c>; up to and including the dump's safe-mode exit point (a resumed dump mixed snapshots,
/// so the target may already hold changes before it); and for <c>safe_mode_time_duration</c> after the first row change's
/// upstream time. Exactness does not need it: DM#'s applied rows make a replay exact anyway.
/// </summary>
internal sealed class SafeMode(bool always, BinlogLocation? dumpExit, TimeSpan? duration)
{
    private uint? _until;

    /// <summary>For a row change logged at <paramref name="timestamp"/> (upstream seconds) and position <paramref name="at"/>.</summary>
    public bool IsOn(uint timestamp, BinlogPosition at)
    {
        if (always) return true;
        if (dumpExit is { HasPosition: true } exit && at.CompareTo(exit.Position) <= 0) return true;
        if (duration is { } span)
        {
            _until ??= timestamp + (uint)span.TotalSeconds;
            if (timestamp <= _until) return true;
        }
        return false;
    }

    /// <summary>The dump's exit point while a checkpoint at <paramref name="checkpoint"/> is before it (the next run must still honour it), else null.</summary>
    public BinlogLocation? ExitAfter(BinlogLocation checkpoint) =>
        dumpExit is { HasPosition: true } exit && checkpoint.HasPosition && checkpoint.Position < exit.Position ? exit : null;
}
