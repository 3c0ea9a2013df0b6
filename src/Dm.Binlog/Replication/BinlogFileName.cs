using System.Globalization;

namespace Dm.Binlog.Replication;

/// <summary>
/// A binlog file name read for ordering: the base name, the sequence number after its last dot, and, for a file of DM's
/// relay log, the relay sub-directory's suffix, which DM writes into the name as <c>mysql-bin|000001.000003</c> (base
/// <c>mysql-bin</c>, relay suffix 1, sequence 3). Files order by relay suffix (none first), then sequence, then name.
/// Printing gives the name back as it was written. Build one with <see cref="Parse"/>.
/// </summary>
/// <param name="Name">The whole name, as written.</param>
/// <param name="BaseName">The name before the relay suffix and the extension (<c>mysql-bin</c>).</param>
/// <param name="RelaySuffix">The relay sub-directory's suffix, or null for a name as the upstream writes it.</param>
/// <param name="Sequence">The number after the last dot, -1 when there is none.</param>
public readonly record struct BinlogFileName(string Name, string BaseName, int? RelaySuffix, long Sequence) : IComparable<BinlogFileName>
{
    /// <summary>The separator DM puts between the base name and the relay suffix.</summary>
    public const char RelaySuffixSeparator = '|';

    /// <summary>The digits after the last dot as written (<c>000003</c>), "" when there are none.</summary>
    private string Extension => Sequence < 0 ? "" : Name[(Name.LastIndexOf('.') + 1)..];

    public static BinlogFileName Parse(string name)
    {
        var dot = name.LastIndexOf('.');
        var hasSequence = dot >= 0 && dot + 1 < name.Length
            && long.TryParse(name.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _);
        var sequence = hasSequence ? long.Parse(name.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture) : -1;
        var stem = hasSequence ? name[..dot] : name;
        var bar = stem.LastIndexOf(RelaySuffixSeparator);
        if (bar >= 0 && bar + 1 < stem.Length && int.TryParse(stem.AsSpan(bar + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var suffix))
            return new BinlogFileName(name, stem[..bar], suffix, sequence);
        return new BinlogFileName(name, stem, null, sequence);
    }

    /// <summary>The name the upstream knows the file by (the relay suffix taken out).</summary>
    public string UpstreamName => RelaySuffix is null ? Name : Extension.Length == 0 ? BaseName : $"{BaseName}.{Extension}";

    /// <summary>The same file as DM names it in the relay sub-directory with <paramref name="suffix"/> (<c>base|000001.000003</c>).</summary>
    public BinlogFileName WithRelaySuffix(int suffix)
    {
        var stem = $"{BaseName}{RelaySuffixSeparator}{suffix.ToString("D6", CultureInfo.InvariantCulture)}";
        return Parse(Extension.Length == 0 ? stem : $"{stem}.{Extension}");
    }

    public int CompareTo(BinlogFileName other)
    {
        var bySuffix = (RelaySuffix ?? 0).CompareTo(other.RelaySuffix ?? 0);
        if (bySuffix != 0) return bySuffix;
        var bySequence = Sequence.CompareTo(other.Sequence);
        return bySequence != 0 ? bySequence : string.CompareOrdinal(Name, other.Name);
    }

    public override string ToString() => Name ?? "";
}
