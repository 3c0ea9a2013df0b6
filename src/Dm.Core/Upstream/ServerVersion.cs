using System.Globalization;

namespace Dm.Core.Upstream;

/// <summary>Numeric major.minor.patch of a version string such as <c>10.11.19-MariaDB-0+deb12u1</c> or <c>8.0.36-log</c>.</summary>
public readonly record struct ServerVersion(int Major, int Minor, int Patch) : IComparable<ServerVersion>
{
    /// <summary>Parses the leading digits; MariaDB's old <c>5.5.5-10.x</c> replication prefix is skipped.</summary>
    public static bool TryParse(string? text, out ServerVersion version)
    {
        version = default;
        if (string.IsNullOrEmpty(text)) return false;
        if (text.StartsWith("5.5.5-", StringComparison.Ordinal) && text.Contains("mariadb", StringComparison.OrdinalIgnoreCase))
            text = text[6..];
        var head = text.Split('-', 2)[0];
        var parts = head.Split('.');
        if (parts.Length < 3) return false;
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major) ||
            !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor) ||
            !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var patch))
            return false;
        version = new ServerVersion(major, minor, patch);
        return true;
    }

    public int CompareTo(ServerVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major)
        : Minor != other.Minor ? Minor.CompareTo(other.Minor)
        : Patch.CompareTo(other.Patch);

    public static bool operator <(ServerVersion a, ServerVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(ServerVersion a, ServerVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(ServerVersion a, ServerVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(ServerVersion a, ServerVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Major}.{Minor}.{Patch}";
}
