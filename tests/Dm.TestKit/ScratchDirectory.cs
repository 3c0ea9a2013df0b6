using System.Globalization;

namespace Dm.TestKit;

/// <summary>
/// Working directories of test servers under <c>/tmp/dm-testkit</c>, named <c>{kind}-{pid}-{id}</c> after the test host
/// that made them. A host killed before its cleanup ran (a CI timeout, a killed benchmark) leaves them behind: ~100 MB
/// per MariaDB data dir, 24 GB had piled up on the development machine. The first directory a host makes sweeps away
/// those of hosts no longer alive.
/// </summary>
public static class ScratchDirectory
{
    public static readonly string Root = Path.Combine(Path.GetTempPath(), "dm-testkit");
    private static int _swept;

    /// <summary>Creates a fresh directory for one server (or template) of this host.</summary>
    public static string Create(string kind)
    {
        if (Interlocked.Exchange(ref _swept, 1) == 0) SweepOrphans();
        var dir = Path.Combine(Root, $"{kind}-{Environment.ProcessId}-{Guid.NewGuid():N}"[..(kind.Length + 24)]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Deletes the directories whose host process is gone; returns how many.</summary>
    public static int SweepOrphans()
    {
        if (!Directory.Exists(Root)) return 0;
        var deleted = 0;
        foreach (var dir in Directory.GetDirectories(Root))
        {
            if (OwnerPid(Path.GetFileName(dir)) is not { } pid || pid == Environment.ProcessId || IsAlive(pid)) continue;
            try
            {
                Directory.Delete(dir, recursive: true);
                deleted++;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return deleted;
    }

    /// <summary>The pid in <c>{kind}-{pid}-{id}</c>; null for other names (left alone).</summary>
    public static int? OwnerPid(string name)
    {
        var parts = name.Split('-');
        return parts.Length == 3 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;
    }

    private static bool IsAlive(int pid) =>
        OperatingSystem.IsLinux() ? Directory.Exists($"/proc/{pid}") : ProcessExists(pid);

    private static bool ProcessExists(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
