using System.Globalization;

namespace Dm.Binlog.Replication;

/// <summary>
/// A binlog file name and a byte offset in it (the position of the next event to read). Positions order as binlog files
/// do (<see cref="BinlogFileName"/>: relay suffix, sequence, name), then by offset. Text forms: <c>file:pos</c> (how DM's
/// <c>binlog skip/replace --binlog-pos</c> and DM#'s applied rows write it) and DM's <c>(file, pos)</c> (query-status).
/// </summary>
public readonly record struct BinlogPosition(string FileName, long Position) : IComparable<BinlogPosition>
{
    public int CompareTo(BinlogPosition other)
    {
        var byFile = string.Equals(FileName, other.FileName, StringComparison.Ordinal)
            ? 0
            : BinlogFileName.Parse(FileName ?? "").CompareTo(BinlogFileName.Parse(other.FileName ?? ""));
        return byFile != 0 ? byFile : Position.CompareTo(other.Position);
    }

    public static bool operator <(BinlogPosition a, BinlogPosition b) => a.CompareTo(b) < 0;
    public static bool operator >(BinlogPosition a, BinlogPosition b) => a.CompareTo(b) > 0;
    public static bool operator <=(BinlogPosition a, BinlogPosition b) => a.CompareTo(b) <= 0;
    public static bool operator >=(BinlogPosition a, BinlogPosition b) => a.CompareTo(b) >= 0;

    /// <summary>Reads <c>file:pos</c> (the file name may itself hold colons: the offset is after the last one).</summary>
    public static bool TryParse(string text, out BinlogPosition position)
    {
        position = default;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !long.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            return false;
        position = new BinlogPosition(text[..colon], offset);
        return true;
    }

    public static BinlogPosition Parse(string text) =>
        TryParse(text, out var position) ? position : throw new FormatException($"'{text}' is not a binlog position file:pos");

    /// <summary>DM's <c>(file, pos)</c>.</summary>
    public string ToDmString() => string.Create(CultureInfo.InvariantCulture, $"({FileName}, {Position})");

    /// <summary><c>file:pos</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{FileName}:{Position}");
}
