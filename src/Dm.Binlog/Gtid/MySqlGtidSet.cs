using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Dm.Binlog.Gtid;

/// <summary>
/// A MySQL GTID set (<c>@@gtid_executed</c> style): per source UUID, sorted disjoint intervals of
/// transaction numbers, e.g. <c>3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7</c>. Tagged GTIDs (8.4) are not supported.
/// </summary>
public sealed class MySqlGtidSet : GtidSet
{
    /// <summary>Intervals per source, each [Start, End] inclusive, sorted and merged.</summary>
    private readonly SortedDictionary<Guid, List<(long Start, long End)>> _sets = new();

    public override GtidFlavor Flavor => GtidFlavor.MySql;

    public override bool IsEmpty => _sets.Count == 0;

    public IEnumerable<(Guid SourceId, IReadOnlyList<(long Start, long End)> Intervals)> Sources =>
        _sets.Select(kv => (kv.Key, (IReadOnlyList<(long, long)>)kv.Value));

    public static MySqlGtidSet Parse(string text)
    {
        var set = new MySqlGtidSet();
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = raw.Split(':');
            if (parts.Length < 2 || !Guid.TryParse(parts[0], out var uuid))
                throw new FormatException($"'{raw}' is not uuid:interval[:interval...]");
            foreach (var interval in parts.AsSpan(1))
            {
                var dash = interval.IndexOf('-');
                var startText = dash < 0 ? interval : interval[..dash];
                var endText = dash < 0 ? interval : interval[(dash + 1)..];
                if (!long.TryParse(startText, NumberStyles.None, CultureInfo.InvariantCulture, out var start) ||
                    !long.TryParse(endText, NumberStyles.None, CultureInfo.InvariantCulture, out var end) || start < 1 || end < start)
                    throw new FormatException($"'{interval}' in '{raw}' is not a GTID interval n or n-m with 1 <= n <= m");
                set.AddInterval(uuid, start, end);
            }
        }
        return set;
    }

    /// <summary>Adds one transaction <c>uuid:number</c>.</summary>
    public void Add(Guid sourceId, long transactionNumber) => AddInterval(sourceId, transactionNumber, transactionNumber);

    public void Add(string uuid, long transactionNumber) => Add(Guid.Parse(uuid), transactionNumber);

    public void AddInterval(Guid sourceId, long start, long end)
    {
        if (start < 1 || end < start) throw new ArgumentOutOfRangeException(nameof(start), $"invalid GTID interval {start}-{end}");
        if (!_sets.TryGetValue(sourceId, out var list)) _sets[sourceId] = list = [];
        // Insert, then merge overlapping or adjacent neighbours.
        var i = 0;
        while (i < list.Count && list[i].End < start - 1) i++;
        var newStart = start;
        var newEnd = end;
        var j = i;
        while (j < list.Count && list[j].Start <= end + 1)
        {
            newStart = Math.Min(newStart, list[j].Start);
            newEnd = Math.Max(newEnd, list[j].End);
            j++;
        }
        list.RemoveRange(i, j - i);
        list.Insert(i, (newStart, newEnd));
    }

    public bool Contains(Guid sourceId, long transactionNumber)
    {
        if (!_sets.TryGetValue(sourceId, out var list)) return false;
        foreach (var (s, e) in list)
        {
            if (transactionNumber < s) return false;
            if (transactionNumber <= e) return true;
        }
        return false;
    }

    public bool Contains(string uuid, long transactionNumber) => Contains(Guid.Parse(uuid), transactionNumber);

    /// <summary>Whether every transaction of <paramref name="other"/> is in this set.</summary>
    public bool Contains(MySqlGtidSet other)
    {
        foreach (var (uuid, intervals) in other._sets)
        {
            if (!_sets.TryGetValue(uuid, out var mine)) return false;
            foreach (var (s, e) in intervals)
                if (!mine.Any(m => m.Start <= s && e <= m.End)) return false;
        }
        return true;
    }

    public override bool Contains(GtidSet other) => other is MySqlGtidSet mine && Contains(mine);

    public override GtidSet Union(GtidSet other) => Union(other as MySqlGtidSet
        ?? throw new ArgumentException($"cannot add {other.Flavor} GTIDs to a MySQL GTID set", nameof(other)));

    public MySqlGtidSet Union(MySqlGtidSet other)
    {
        var result = Clone();
        foreach (var (uuid, intervals) in other._sets)
            foreach (var (s, e) in intervals) result.AddInterval(uuid, s, e);
        return result;
    }

    public override MySqlGtidSet Clone()
    {
        var copy = new MySqlGtidSet();
        foreach (var (uuid, intervals) in _sets) copy._sets[uuid] = [.. intervals];
        return copy;
    }

    /// <summary>The encoding of COM_BINLOG_DUMP_GTID and PREVIOUS_GTIDS: n_sids, then per sid uuid, n_intervals, [start, end+1).</summary>
    public byte[] Encode()
    {
        var size = 8 + _sets.Sum(kv => 16 + 8 + kv.Value.Count * 16);
        var bytes = new byte[size];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt64LittleEndian(span, (ulong)_sets.Count);
        var at = 8;
        foreach (var (uuid, intervals) in _sets)
        {
            uuid.TryWriteBytes(span[at..], bigEndian: true, out _);
            at += 16;
            BinaryPrimitives.WriteUInt64LittleEndian(span[at..], (ulong)intervals.Count);
            at += 8;
            foreach (var (s, e) in intervals)
            {
                BinaryPrimitives.WriteInt64LittleEndian(span[at..], s);
                BinaryPrimitives.WriteInt64LittleEndian(span[(at + 8)..], e + 1);
                at += 16;
            }
        }
        return bytes;
    }

    internal static MySqlGtidSet Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new Protocol.PayloadReader(bytes);
        var set = new MySqlGtidSet();
        var sids = reader.ReadUInt64();
        for (ulong i = 0; i < sids; i++)
        {
            var uuid = new Guid(reader.ReadBytes(16), bigEndian: true);
            var count = reader.ReadUInt64();
            if (count > (ulong)reader.Remaining / 16) throw new BinlogFormatException($"GTID set claims {count} intervals, more than its bytes hold");
            for (ulong k = 0; k < count; k++)
            {
                var start = (long)reader.ReadUInt64();
                var end = (long)reader.ReadUInt64();
                if (start < 1 || end <= start) throw new BinlogFormatException($"GTID set interval [{start}, {end}) is invalid");
                set.AddInterval(uuid, start, end - 1);
            }
        }
        return set;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (uuid, intervals) in _sets)
        {
            if (text.Length > 0) text.Append(',');
            text.Append(uuid.ToString("D"));
            foreach (var (s, e) in intervals)
            {
                text.Append(':').Append(s);
                if (e != s) text.Append('-').Append(e);
            }
        }
        return text.ToString();
    }
}
