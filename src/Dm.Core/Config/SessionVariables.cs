using System.Globalization;
using System.Text.RegularExpressions;

namespace Dm.Core.Config;

/// <summary>
/// The <c>session</c> map of a <see cref="DbConfig"/> (source.yaml <c>from</c>, task.yaml <c>target-database</c>): the session
/// variables DM sets on every connection to that database. Names must be plain identifiers (they go into SQL text); values
/// are sent as parameters, numbers as numbers, anything else as a string.
/// </summary>
public static partial class SessionVariables
{
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Name();

    [GeneratedRegex(@"^[+-]?0?0:00$")]
    private static partial Regex UtcOffset();

    /// <summary>
    /// What is wrong with a session map, or null. A name that is not an identifier is refused; so is a <c>time_zone</c> other
    /// than UTC: DM# moves TIMESTAMP values in UTC on every connection (DM overwrites this variable with +00:00 and logs a
    /// warning; DM# refuses rather than run with a setting other than the one written).
    /// </summary>
    public static string? Problem(IReadOnlyDictionary<string, string>? session)
    {
        foreach (var (name, value) in session ?? new Dictionary<string, string>())
        {
            if (!Name().IsMatch(name))
                return $"session variable name \"{name}\" is not a plain identifier (letters, digits and _)";
            if (name.Equals("time_zone", StringComparison.OrdinalIgnoreCase) && !IsUtc(value))
                return $"session variable time_zone \"{value}\" is not supported: DM# reads and writes TIMESTAMP values in UTC " +
                       "(DM overwrites time_zone with +00:00); remove it, or give +00:00";
        }
        return null;
    }

    private static bool IsUtc(string value) => UtcOffset().IsMatch(value.Trim()) || value.Trim().Equals("UTC", StringComparison.OrdinalIgnoreCase);

    /// <summary>The parameter value for <c>SET SESSION name = @value</c>: an integer or decimal as a number (MySQL refuses a
    /// string for a numeric variable), anything else as a string.</summary>
    public static object ParameterValue(string value)
    {
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)) return integer;
        if (decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            && value.Contains('.', StringComparison.Ordinal)) return number;
        return value;
    }
}
