using System.Runtime.InteropServices;

namespace Dm.TestKit;

/// <summary>POSIX signals the BCL does not expose (SIGTERM for a graceful stop, SIGSTOP/SIGCONT to freeze a server).</summary>
public static partial class Signal
{
    private const int SigTerm = 15;
    private const int SigStop = 19;
    private const int SigCont = 18;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;
    public static bool Freeze(int pid) => Kill(pid, SigStop) == 0;
    public static bool Thaw(int pid) => Kill(pid, SigCont) == 0;
}
