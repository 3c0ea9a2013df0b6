using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Dm.Core.Config;

/// <summary>Go's time.Duration text form ("1h30m", "5m0s", "300ms"), as DM's configs use it.</summary>
public static partial class GoDuration
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text == "0")
            return true;
        var m = Pattern().Match(text);
        if (!m.Success)
            return false;
        double ticks = 0;
        foreach (Capture part in m.Groups["part"].Captures)
        {
            var p = PartPattern().Match(part.Value);
            var number = double.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture);
            ticks += number * p.Groups[2].Value switch
            {
                "ns" => 0.01,
                "us" or "µs" or "μs" => 10,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                _ => TimeSpan.TicksPerHour,
            };
        }
        if (ticks > TimeSpan.MaxValue.Ticks)
            return false;
        value = TimeSpan.FromTicks((long)Math.Round(ticks) * (m.Groups["neg"].Success ? -1 : 1));
        return true;
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"invalid duration \"{text}\"");

    /// <summary>Formats like Go's Duration.String: "0s", "300ms", "1.5s", "5m0s", "1h0m0s".</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
            return "0s";
        var sb = new StringBuilder();
        if (value < TimeSpan.Zero)
        {
            sb.Append('-');
            value = value.Negate();
        }
        if (value < TimeSpan.FromSeconds(1))
        {
            var ticks = value.Ticks;
            if (ticks % TimeSpan.TicksPerMillisecond == 0)
                return sb.Append(ticks / TimeSpan.TicksPerMillisecond).Append("ms").ToString();
            return sb.Append(Trim(ticks / 10.0)).Append("µs").ToString();
        }
        var hours = (long)value.TotalHours;
        var minutes = value.Minutes;
        var seconds = value.Ticks % TimeSpan.TicksPerMinute / (double)TimeSpan.TicksPerSecond;
        if (hours > 0)
            sb.Append(hours).Append('h');
        if (hours > 0 || minutes > 0)
            sb.Append(minutes).Append('m');
        return sb.Append(Trim(seconds)).Append('s').ToString();
    }

    private static string Trim(double v) => v.ToString("0.#########", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<neg>-)?\+?(?<part>[0-9]*\.?[0-9]+(?:ns|us|µs|μs|ms|s|m|h))+$")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^([0-9]*\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h)$")]
    private static partial Regex PartPattern();
}
