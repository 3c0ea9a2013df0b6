using System.Globalization;
using System.Text.RegularExpressions;

namespace Dm.Core.Config;

/// <summary>Sizes like "80G", "512MiB", "1.5 gb" or a plain byte count (binary multiples, as docker/go-units RAMInBytes).</summary>
public static partial class ByteSize
{
    public static bool TryParse(string text, out ulong bytes)
    {
        bytes = 0;
        var m = Pattern().Match(text.Trim());
        if (!m.Success)
            return false;
        var number = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var unit = m.Groups[2].Value.ToLowerInvariant();
        var multiplier = unit.Length == 0 ? 1d : unit[0] switch
        {
            'b' => 1d,
            'k' => 1024d,
            'm' => 1024d * 1024,
            'g' => 1024d * 1024 * 1024,
            't' => 1024d * 1024 * 1024 * 1024,
            _ => 1024d * 1024 * 1024 * 1024 * 1024,
        };
        var value = number * multiplier;
        if (value >= ulong.MaxValue)
            return false;
        bytes = (ulong)value;
        return true;
    }

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)\s*((?:[kmgtp](?:i?b)?)|b)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
