using Dm.Binlog.Gtid;

namespace Dm.Binlog.Replication;

/// <summary>
/// A place in a source's binlog stream: the <see cref="BinlogPosition"/> of the next event, and, when known, the GTID set
/// executed up to there (of the source's flavor). The one type DM# keeps locations in, from the task's start point and the
/// upstream's status to the Sync checkpoint; text exists only at the edges (DM's <c>(file, pos)</c> and the GTID text).
/// A location owns its GTID set: whoever builds one hands over a set nobody changes afterwards (a live set is cloned first,
/// as <see cref="BinlogClient.Location"/> does).
/// </summary>
public sealed record BinlogLocation
{
    public BinlogLocation(BinlogPosition position, GtidSet? gtidSet = null)
    {
        Position = position;
        GtidSet = gtidSet;
    }

    public BinlogLocation(string fileName, long position, GtidSet? gtidSet = null)
        : this(new BinlogPosition(fileName, position), gtidSet)
    {
    }

    public BinlogPosition Position { get; }

    /// <summary>The GTIDs executed up to <see cref="Position"/>; null when unknown.</summary>
    public GtidSet? GtidSet { get; }

    public string FileName => Position.FileName;

    public long Offset => Position.Position;

    /// <summary>A location known only by its GTID set (a task's <c>binlog_gtid</c> without a file): no position.</summary>
    public bool HasPosition => !string.IsNullOrEmpty(Position.FileName);

    /// <summary>The GTID set's text, "" when there is none.</summary>
    public string GtidText => GtidSet?.ToString() ?? "";

    /// <summary>A location at <paramref name="gtidSet"/> alone, for a start by GTID.</summary>
    public static BinlogLocation AtGtid(GtidSet gtidSet) => new(new BinlogPosition("", 0), gtidSet);

    /// <summary>
    /// Orders by position when both have one (the stream's own order); two locations without positions order by their GTID
    /// sets when one contains the other. DM compares the same way when GTID is off; with GTID on, positions of one stream
    /// still order exactly, so DM# never needs the incomparable case of two sets that each hold a transaction the other lacks.
    /// </summary>
    public int CompareTo(BinlogLocation other)
    {
        if (HasPosition && other.HasPosition) return Position.CompareTo(other.Position);
        if (GtidSet is { } mine && other.GtidSet is { } theirs)
        {
            if (mine.Equals(theirs)) return 0;
            if (mine.Contains(theirs)) return 1;
            if (theirs.Contains(mine)) return -1;
        }
        throw new InvalidOperationException($"cannot order {this} and {other}");
    }

    /// <summary>DM's form: <c>position: (file, pos), gtid-set: set</c>.</summary>
    public override string ToString() => $"position: {Position.ToDmString()}, gtid-set: {GtidText}";

    public bool Equals(BinlogLocation? other) =>
        other is not null && Position == other.Position && Equals(GtidSet, other.GtidSet);

    public override int GetHashCode() => HashCode.Combine(Position, GtidSet);
}
