using System.Runtime.InteropServices;

namespace Dm.Master.Ha;

/// <summary>kill(2) for the etcd member: SIGTERM lets it stop cleanly (a leader hands its leadership over), which the BCL cannot send.</summary>
internal static partial class PosixSignal
{
    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;

    /// <summary>Whether a process with this id exists and runs the etcd member of <paramref name="memberDataDir"/> (not a reused pid).</summary>
    public static bool RunsMember(int pid, string memberDataDir)
    {
        try
        {
            var args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // A zombie (state Z) has exited and waits to be reaped.
            return stat[(stat.LastIndexOf(')') + 2)..].TrimStart()[0] != 'Z' && args.Contains("--data-dir=" + memberDataDir);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
