using System.Globalization;

namespace Dm.Binlog.Gtid;

/// <summary>A MariaDB GTID: <c>domain-server-sequence</c>.</summary>
public readonly record struct MariaDbGtid(uint DomainId, uint ServerId, ulong Sequence)
{
    public override string ToString() => $"{DomainId}-{ServerId}-{Sequence}";

    public static MariaDbGtid Parse(string text) =>
        TryParse(text, out var gtid) ? gtid : throw new FormatException($"'{text}' is not a MariaDB GTID (domain-server-sequence)");

    public static bool TryParse(string text, out MariaDbGtid gtid)
    {
        gtid = default;
        var parts = text.Trim().Split('-');
        if (parts.Length != 3) return false;
        if (!uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var domain) ||
            !uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var server) ||
            !ulong.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            return false;
        gtid = new MariaDbGtid(domain, server, sequence);
        return true;
    }
}
