using System.Globalization;

namespace Dm.Bench.FullCopy;

/// <summary>
/// CPU seconds (user + system, from /proc) spent by this process, by its finished child processes (mydumper,
/// myloader) and by the source and target servers. On a shared machine wall time mostly measures the neighbours;
/// CPU time per row compares the two copies' own cost.
/// </summary>
internal sealed class CpuMeter(int sourcePid, int targetPid)
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    public sealed record Sample(double Self, double Children, double Source, double Target)
    {
        public static Sample operator -(Sample a, Sample b) =>
            new(a.Self - b.Self, a.Children - b.Children, a.Source - b.Source, a.Target - b.Target);

        public string Describe(long rows) => string.Create(CultureInfo.InvariantCulture,
            $"CPU s: client {Self + Children:F1}, source server {Source:F1}, target server {Target:F1}, total {Self + Children + Source + Target:F1} ({(Self + Children + Source + Target) * 1e6 / rows:F1} µs/row)");
    }

    public Sample Now()
    {
        var self = Fields("self");
        return new Sample((self[13] + self[14]) / TicksPerSecond, (self[15] + self[16]) / TicksPerSecond, Own(sourcePid), Own(targetPid));
    }

    private static double Own(int pid)
    {
        var f = Fields(pid.ToString(CultureInfo.InvariantCulture));
        return (f[13] + f[14]) / TicksPerSecond;
    }

    /// <summary>/proc/PID/stat as numbers by field index (0-based); the command name in parentheses may hold spaces.</summary>
    private static double[] Fields(string pid)
    {
        var text = File.ReadAllText($"/proc/{pid}/stat");
        var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        var fields = new double[rest.Length + 2];
        for (var i = 0; i < rest.Length; i++)
            fields[i + 2] = double.TryParse(rest[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0;
        return fields;
    }

    /// <summary>The mariadbd whose command line names <paramref name="baseDirectory"/>.</summary>
    public static int FindServerPid(string baseDirectory)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (cmdline.Contains("mariadbd", StringComparison.Ordinal) && cmdline.Contains(baseDirectory, StringComparison.Ordinal))
                    return pid;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        throw new InvalidOperationException("no mariadbd process for " + baseDirectory);
    }
}
