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

    /// <summary>
    /// SIGSTOP, then waits until every thread of the process is stopped: the signal is delivered asynchronously,
    /// and a request sent right after <see cref="Freeze"/> can still be answered on a busy machine.
    /// </summary>
    public static async Task FreezeAsync(int pid, CancellationToken cancellationToken = default)
    {
        if (!Freeze(pid)) throw new InvalidOperationException($"SIGSTOP to {pid} failed");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!AllThreadsStopped(pid))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"process {pid} did not stop within 10s of SIGSTOP");
            await Task.Delay(5, cancellationToken);
        }
    }

    // /proc/<pid>/task/<tid>/stat: "tid (comm) S ...", S = 'T' once stopped by a signal.
    private static bool AllThreadsStopped(int pid)
    {
        foreach (var task in Directory.GetDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var state = stat[(stat.LastIndexOf(')') + 2)..].TrimStart()[0];
                if (state != 'T') return false;
            }
            catch (IOException)
            {
                // the thread exited meanwhile
            }
        }
        return true;
    }
    public static bool Thaw(int pid) => Kill(pid, SigCont) == 0;
}
