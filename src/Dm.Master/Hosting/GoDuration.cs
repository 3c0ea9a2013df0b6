using System.Globalization;
using System.Text.RegularExpressions;

namespace Dm.Master.Hosting;

/// <summary>Go's duration syntax (<c>1h2m3.5s</c>, <c>300ms</c>), which DM's configs and API use.</summary>
public static partial class GoDuration
{
    [GeneratedRegex(@"^(?:(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h))+$")]
    private static partial Regex Whole();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")]
    private static partial Regex Part();

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text == "0") return true;
        if (string.IsNullOrEmpty(text) || !Whole().IsMatch(text)) return false;
        double ticks = 0;
        foreach (Match m in Part().Matches(text))
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            ticks += m.Groups[2].Value switch
            {
                "ns" => n / 100,
                "us" or "µs" => n * 10,
                "ms" => n * TimeSpan.TicksPerMillisecond,
                "s" => n * TimeSpan.TicksPerSecond,
                "m" => n * TimeSpan.TicksPerMinute,
                _ => n * TimeSpan.TicksPerHour,
            };
        }
        if (ticks > TimeSpan.MaxValue.Ticks) return false;
        duration = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    public static TimeSpan Parse(string name, string text) =>
        TryParse(text, out var d) ? d : throw new MasterConfigException($"invalid duration \"{text}\" for {name}");
}
