using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Dm.TestKit;

/// <summary>
/// A server process started by a test. Output goes to a log file for post-mortems; every child is
/// killed when the test host exits, and children left over by a crashed earlier run are reaped on
/// the first start (their pids are recorded under <see cref="PidDirectory"/>).
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    public static readonly string PidDirectory = Path.Combine(Path.GetTempPath(), "dm-testkit-pids");
    private static readonly ConcurrentDictionary<int, ChildProcess> Live = new();
    private static int _reaped;

    private readonly Process _process;
    private readonly string _pidFile;
    private readonly StreamWriter _log;

    public string Name { get; }
    public string LogPath { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    static ChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var child in Live.Values) child.KillNow();
        };
    }

    private ChildProcess(string name, Process process, string logPath, StreamWriter log)
    {
        Name = name;
        _process = process;
        LogPath = logPath;
        _log = log;
        _pidFile = Path.Combine(PidDirectory, $"{process.Id}.pid");
    }

    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, string logPath,
        IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        ReapOrphansOnce();
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        if (environment != null)
            foreach (var (k, v) in environment) info.Environment[k] = v;

        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), Encoding.UTF8)
        { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (log) log.WriteLine(e.Data); };
        if (!process.Start()) throw new InvalidOperationException($"could not start {fileName}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var child = new ChildProcess(name, process, logPath, log);
        Directory.CreateDirectory(PidDirectory);
        File.WriteAllText(child._pidFile, $"{Environment.ProcessId}\n{name}");
        Live[process.Id] = child;
        return child;
    }

    /// <summary>Runs a command to completion and returns its combined output; throws when it fails.</summary>
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish within {timeout}");
        }
        var output = await stdout + await stderr;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited {process.ExitCode}: {output}");
        return output;
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => _process.WaitForExitAsync(cancellationToken);

    public int ExitCode => _process.ExitCode;

    /// <summary>SIGKILL: what a crash looks like to the rest of the system; with its children unless <paramref name="entireProcessTree"/> is false.</summary>
    public void KillNow(bool entireProcessTree = true)
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        Forget();
    }

    /// <summary>SIGTERM, then SIGKILL if the process has not exited within the grace period.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (!_process.HasExited)
        {
            _ = Signal.Terminate(_process.Id);
            using var cts = new CancellationTokenSource(grace);
            try { await _process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { }
        }
        KillNow();
        if (!_process.HasExited) await _process.WaitForExitAsync();
    }

    public string ReadLog()
    {
        lock (_log) _log.Flush();
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    private void Forget()
    {
        Live.TryRemove(_process.Id, out _);
        try { File.Delete(_pidFile); } catch (IOException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        lock (_log) _log.Dispose();
        _process.Dispose();
    }

    /// <summary>Kills children recorded by test hosts that no longer run (a crashed or killed earlier run); once per host.</summary>
    internal static void ReapOrphansOnce()
    {
        if (Interlocked.Exchange(ref _reaped, 1) == 1 || !Directory.Exists(PidDirectory)) return;
        foreach (var file in Directory.GetFiles(PidDirectory, "*.pid"))
        {
            try
            {
                var childPid = int.Parse(Path.GetFileNameWithoutExtension(file));
                var ownerPid = int.Parse(File.ReadLines(file).First());
                if (IsAlive(ownerPid)) continue;
                if (IsAlive(childPid)) Process.GetProcessById(childPid).Kill(entireProcessTree: true);
                File.Delete(file);
            }
            catch (Exception e) when (e is FormatException or IOException or ArgumentException or InvalidOperationException)
            {
                try { File.Delete(file); } catch (IOException) { }
            }
        }
    }

    internal static bool IsAlive(int pid)
    {
        try { return !Process.GetProcessById(pid).HasExited; }
        catch (ArgumentException) { return false; }
    }
}
