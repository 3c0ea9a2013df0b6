using System.Globalization;

namespace Dm.TestKit;

/// <summary>
/// Working directories of test servers under <c>/tmp/dm-testkit</c>, named <c>{kind}-{pid}-{id}</c> after the test host
/// that made them. A host killed before its cleanup ran (a CI timeout, a killed benchmark) leaves them behind: ~100 MB
/// per MariaDB data dir, 24 GB had piled up on the development machine. The first directory a host makes sweeps away
/// those of hosts no longer alive (a host in another pid namespace sharing /tmp would look dead: not a set-up we use).
/// </summary>
public static class ScratchDirectory
{
    public static readonly string Root = Path.Combine(Path.GetTempPath(), "dm-testkit");
    private static int _swept;

    /// <summary>Creates a fresh directory for one server (or template) of this host; <paramref name="kind"/> has no dash.</summary>
    public static string Create(string kind)
    {
        if (kind.Contains('-')) throw new ArgumentException($"\"{kind}\": the sweep reads {{kind}}-{{pid}}-{{id}}, so a kind has no dash", nameof(kind));
        if (Interlocked.Exchange(ref _swept, 1) == 0)
        {
            // Servers a dead host left running go first: their data dirs are what the sweep deletes.
            ChildProcess.ReapOrphansOnce();
            SweepOrphans();
        }
        var dir = Path.Combine(Root, $"{kind}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..12]}");
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
            if (OwnerPid(Path.GetFileName(dir)) is not { } pid || pid == Environment.ProcessId || ChildProcess.IsAlive(pid)) continue;
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
}
