namespace Dm.TestKit;

/// <summary>A real <c>dm-worker</c> process on a free loopback port, joined to the given masters.</summary>
public sealed class DmWorkerProcess : IAsyncDisposable
{
    private ChildProcess? _process;
    private readonly IReadOnlyList<string> _arguments;

    public string Name { get; }
    public int Port { get; }
    public string BaseDirectory { get; }
    public string LogPath => Path.Combine(BaseDirectory, "worker.log");
    public bool IsRunning => _process is { HasExited: false };

    private DmWorkerProcess(string name, int port, string baseDirectory, IReadOnlyList<string> arguments)
    {
        Name = name;
        Port = port;
        BaseDirectory = baseDirectory;
        _arguments = arguments;
    }

    /// <param name="keepAliveTtlSeconds">how long the master waits for a heartbeat before taking the worker offline.</param>
    public static async Task<DmWorkerProcess> StartAsync(string name, IEnumerable<DmMasterProcess> masters, int keepAliveTtlSeconds = 3,
        IReadOnlyList<string>? extraArguments = null, CancellationToken cancellationToken = default)
    {
        var baseDir = Path.Combine(Path.GetTempPath(), "dm-testkit", $"worker-{Guid.NewGuid():N}"[..19]);
        Directory.CreateDirectory(baseDir);
        var port = FreePort.Next();
        var args = new List<string>
        {
            RepositoryLayout.ProgramDll("Dm.Worker", "dm-worker"),
            "--name", name,
            "--worker-addr", $"127.0.0.1:{port}",
            "--join", string.Join(',', masters.Select(m => $"127.0.0.1:{m.Port}")),
            "--keepalive-ttl", keepAliveTtlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        args.AddRange(extraArguments ?? []);
        var worker = new DmWorkerProcess(name, port, baseDir, args);
        try
        {
            await worker.StartProcessAsync(cancellationToken);
        }
        catch
        {
            await worker.DisposeAsync();
            throw;
        }
        return worker;
    }

    public Task RestartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning) throw new InvalidOperationException("worker is running");
        return StartProcessAsync(cancellationToken);
    }

    /// <summary>SIGKILL, as a crash.</summary>
    public void Kill()
    {
        _process?.KillNow();
        _process = null;
    }

    public async Task StopAsync()
    {
        if (_process != null) await _process.StopAsync(TimeSpan.FromSeconds(15));
        _process = null;
    }

    public string ReadLog() => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        // Its working directory holds what the worker writes (dump files), like a real deployment's.
        _process = ChildProcess.Start($"dm-worker:{Port}", "dotnet", _arguments, LogPath, workingDirectory: BaseDirectory);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited) throw new InvalidOperationException($"dm-worker exited with {_process.ExitCode}:\n{ReadLog()}");
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{Port}/status", cancellationToken);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException($"dm-worker on port {Port} did not answer /status:\n{ReadLog()}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(BaseDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
