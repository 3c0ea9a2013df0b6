using System.Text.RegularExpressions;

namespace Dm.Core.Config;

/// <summary>Checks a task <c>timezone</c>: an IANA name, "SYSTEM"/"Local", or an offset like "+08:00".</summary>
public static partial class TimezoneName
{
    public static bool IsValid(string name)
    {
        if (name.Length == 0 || name is "SYSTEM" or "Local" or "UTC")
            return true;
        if (Offset().IsMatch(name))
            return true;
        return TimeZoneInfo.TryFindSystemTimeZoneById(name, out _);
    }

    [GeneratedRegex(@"^[+-](0[0-9]|1[0-4]):[0-5][0-9]$")]
    private static partial Regex Offset();
}
