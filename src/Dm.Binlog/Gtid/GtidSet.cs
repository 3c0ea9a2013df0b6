namespace Dm.Binlog.Gtid;

/// <summary>
/// The transactions a server has executed, as GTIDs of one flavor: a <see cref="MySqlGtidSet"/> (every transaction, by
/// source UUID and intervals) or a <see cref="MariaDbGtidList"/> (the last GTID of each replication domain). The one type
/// the rest of DM# holds GTIDs in; text is parsed and printed only at the edges (configs, checkpoint rows, the API).
/// Sets are mutable (a replication client adds to its own); <see cref="Clone"/> before keeping one.
/// </summary>
public abstract class GtidSet : IEquatable<GtidSet>
{
    private protected GtidSet()
    {
    }

    public abstract GtidFlavor Flavor { get; }

    public abstract bool IsEmpty { get; }

    /// <summary>Whether every transaction of <paramref name="other"/> is in this set; false for a set of the other flavor.</summary>
    public abstract bool Contains(GtidSet other);

    /// <summary>The transactions of both sets (MariaDB: per domain the later GTID); the other set must have this set's flavor.</summary>
    public abstract GtidSet Union(GtidSet other);

    public abstract GtidSet Clone();

    /// <summary>The server's own text: <c>uuid:1-5:7,uuid2:1-3</c> (MySQL) or <c>0-1-100,1-2-7</c> (MariaDB); "" when empty.</summary>
    public abstract override string ToString();

    /// <summary>An empty set of <paramref name="flavor"/>.</summary>
    public static GtidSet Empty(GtidFlavor flavor) => flavor == GtidFlavor.MySql ? new MySqlGtidSet() : new MariaDbGtidList();

    /// <summary>Parses the server's text of <paramref name="flavor"/>; "" is the empty set. <see cref="FormatException"/> when malformed.</summary>
    public static GtidSet Parse(GtidFlavor flavor, string text) =>
        flavor == GtidFlavor.MySql ? MySqlGtidSet.Parse(text) : MariaDbGtidList.Parse(text);

    public static bool TryParse(GtidFlavor flavor, string text, out GtidSet? set)
    {
        try
        {
            set = Parse(flavor, text);
            return true;
        }
        catch (FormatException)
        {
            set = null;
            return false;
        }
    }

    /// <summary>
    /// The flavor a non-empty text is written in (MySQL's has a UUID and colons, MariaDB's dash-separated numbers), or null when it
    /// is neither; for text whose server is not known, such as a task's <c>binlog_gtid</c> checked before its source is read.
    /// </summary>
    public static GtidFlavor? FlavorOf(string text) =>
        text.Trim().Length == 0 ? null
        : TryParse(GtidFlavor.MySql, text, out _) ? GtidFlavor.MySql
        : TryParse(GtidFlavor.MariaDb, text, out _) ? GtidFlavor.MariaDb
        : null;

    /// <summary>
    /// The set a text holds, in whichever flavor it is written (<see cref="FlavorOf"/>); null for "" (no GTIDs known).
    /// For text kept without its server's flavor, such as a dump's metadata file. <see cref="FormatException"/> when neither.
    /// </summary>
    public static GtidSet? ParseEither(string text) =>
        text.Trim().Length == 0 ? null
        : FlavorOf(text) is { } flavor ? Parse(flavor, text)
        : throw new FormatException($"'{text}' is neither a MySQL GTID set nor a MariaDB GTID list");

    /// <summary>Equal when of the same flavor with the same transactions.</summary>
    public bool Equals(GtidSet? other) => other is not null && other.Flavor == Flavor && other.ToString() == ToString();

    public override bool Equals(object? obj) => Equals(obj as GtidSet);

    public override int GetHashCode() => HashCode.Combine(Flavor, ToString());
}
