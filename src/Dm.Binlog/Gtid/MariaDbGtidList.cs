namespace Dm.Binlog.Gtid;

/// <summary>
/// A MariaDB GTID position (<c>@@gtid_slave_pos</c> style): the last GTID of each replication domain,
/// e.g. <c>0-1-100,1-2-7</c>. <see cref="Contains"/> follows MariaDB: a GTID is in the position when its
/// domain's last sequence number is at least as high.
/// </summary>
public sealed class MariaDbGtidList : GtidSet
{
    private readonly SortedDictionary<uint, MariaDbGtid> _byDomain = new();

    public MariaDbGtidList() { }

    public MariaDbGtidList(IEnumerable<MariaDbGtid> gtids)
    {
        foreach (var gtid in gtids) Add(gtid);
    }

    public IReadOnlyCollection<MariaDbGtid> Gtids => _byDomain.Values;
    public override GtidFlavor Flavor => GtidFlavor.MariaDb;

    public override bool IsEmpty => _byDomain.Count == 0;

    public static MariaDbGtidList Parse(string text)
    {
        var list = new MariaDbGtidList();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var gtid = MariaDbGtid.Parse(part);
            if (list._byDomain.ContainsKey(gtid.DomainId))
                throw new FormatException($"'{text}' names domain {gtid.DomainId} twice");
            list._byDomain[gtid.DomainId] = gtid;
        }
        return list;
    }

    /// <summary>Records <paramref name="gtid"/> as the last of its domain (the position moves to it).</summary>
    public void Add(MariaDbGtid gtid) => _byDomain[gtid.DomainId] = gtid;

    public MariaDbGtid? this[uint domainId] => _byDomain.TryGetValue(domainId, out var g) ? g : null;

    public bool Contains(MariaDbGtid gtid) =>
        _byDomain.TryGetValue(gtid.DomainId, out var last) && last.Sequence >= gtid.Sequence;

    /// <summary>Whether every domain of <paramref name="other"/> is at or behind this position.</summary>
    public bool Contains(MariaDbGtidList other) => other._byDomain.Values.All(Contains);

    public override bool Contains(GtidSet other) => other is MariaDbGtidList list && Contains(list);

    public override GtidSet Union(GtidSet other) => Union(other as MariaDbGtidList
        ?? throw new ArgumentException($"cannot add {other.Flavor} GTIDs to a MariaDB GTID list", nameof(other)));

    /// <summary>Per domain, the GTID with the higher sequence number.</summary>
    public MariaDbGtidList Union(MariaDbGtidList other)
    {
        var result = Clone();
        foreach (var gtid in other._byDomain.Values)
            if (!result._byDomain.TryGetValue(gtid.DomainId, out var mine) || mine.Sequence < gtid.Sequence)
                result._byDomain[gtid.DomainId] = gtid;
        return result;
    }

    public override MariaDbGtidList Clone() => new(_byDomain.Values);

    public override string ToString() => string.Join(",", _byDomain.Values);
}
