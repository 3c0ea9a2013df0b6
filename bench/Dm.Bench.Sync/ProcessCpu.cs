using System.Globalization;

namespace Dm.Bench.Sync;

/// <summary>CPU seconds (user + system) of a process found by a fragment of its command line, from /proc (Linux only).</summary>
internal static class ProcessCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, 100 on every Linux this runs on

    /// <summary>The first process whose command line (arguments joined by spaces) contains <paramref name="fragment"/>; null if none or not Linux.</summary>
    public static int? Find(string fragment)
    {
        if (!OperatingSystem.IsLinux()) return null;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(fragment, StringComparison.Ordinal)) return pid;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return null;
    }

    public static double? Seconds(int? pid)
    {
        if (pid is not { } id) return null;
        try
        {
            var stat = File.ReadAllText($"/proc/{id}/stat");
            // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields of the line.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
