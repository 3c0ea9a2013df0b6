namespace Dm.TestKit;

/// <summary>
/// A DM# server program (dm-master, dm-worker) run as a real process: started with its arguments, ready
/// once <c>/status</c> answers on its port, stopped gracefully or killed, and started again the same way.
/// </summary>
/// <param name="tls">for a process with TLS keys: how /status is asked (https, presenting that party's certificate).</param>
public sealed class DmServerProcess(string name, int port, IReadOnlyList<string> arguments, string logPath, string? workingDirectory = null,
    TestTlsFiles? tls = null)
{
    private ChildProcess? _process;

    public bool IsRunning => _process is { HasExited: false };

    public string ReadLog() => File.Exists(logPath) ? File.ReadAllText(logPath) : "";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (IsRunning) throw new InvalidOperationException($"{name} is running");
        _process = ChildProcess.Start($"{name}:{port}", "dotnet", arguments, logPath, workingDirectory: workingDirectory);
        using var http = tls == null ? new HttpClient() : new HttpClient(tls.Handler());
        http.Timeout = TimeSpan.FromSeconds(5);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited) throw new InvalidOperationException($"{name} exited with {_process.ExitCode}:\n{ReadLog()}");
            try
            {
                using var response = await http.GetAsync($"{(tls == null ? "http" : "https")}://127.0.0.1:{port}/status", cancellationToken);
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or System.Net.Sockets.SocketException)
            {
                // Not listening yet; a connection refused or reset while the socket is set up can surface as either.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException($"{name} on port {port} did not answer /status:\n{ReadLog()}");
    }

    /// <summary>
    /// SIGSTOP: the process stays alive (its sockets open, its lease not yet expired) but does nothing until
    /// <see cref="Thaw"/>, as a worker stalled by the machine.
    /// </summary>
    public void Freeze()
    {
        if (!Signal.Freeze(RunningPid)) throw new InvalidOperationException($"SIGSTOP to {name} failed");
    }

    /// <summary>SIGCONT after <see cref="Freeze"/>.</summary>
    public void Thaw()
    {
        if (!Signal.Thaw(RunningPid)) throw new InvalidOperationException($"SIGCONT to {name} failed");
    }

    /// <summary>The running process's id (for /proc readings such as its memory).</summary>
    public int Pid => RunningPid;

    private int RunningPid => _process is { HasExited: false } process ? process.Pid : throw new InvalidOperationException($"{name} is not running");

    /// <summary>SIGKILL, as a crash: of the process and what it started, or (<paramref name="entireProcessTree"/> false) of the process alone.</summary>
    public void Kill(bool entireProcessTree = true)
    {
        _process?.KillNow(entireProcessTree);
        _process = null;
    }

    public async Task StopAsync()
    {
        if (_process != null) await _process.StopAsync(TimeSpan.FromSeconds(15));
        _process = null;
    }
}
