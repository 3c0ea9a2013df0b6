
namespace Dm.TestKit;

/// <summary>
/// A real <c>dm-master</c> process on a free loopback port with its own data dir. It can be killed and
/// started again on the same port and data dir to test what survives a restart.
/// </summary>
public sealed class DmMasterProcess : IAsyncDisposable
{
    private ChildProcess? _process;
    private readonly IReadOnlyList<string> _extraArguments;

    public string Name { get; }
    public int Port { get; }
    public string DataDirectory { get; }
    public string BaseDirectory { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public HttpClient Http { get; }
    public string LogPath => Path.Combine(BaseDirectory, "master.log");
    public bool IsRunning => _process is { HasExited: false };

    private DmMasterProcess(string name, int port, string baseDirectory, IReadOnlyList<string> extraArguments)
    {
        Name = name;
        Port = port;
        BaseDirectory = baseDirectory;
        DataDirectory = Path.Combine(baseDirectory, "data");
        _extraArguments = extraArguments;
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public static async Task<DmMasterProcess> StartAsync(string name = "master1", IReadOnlyList<string>? extraArguments = null,
        CancellationToken cancellationToken = default)
    {
        var baseDir = Path.Combine(Path.GetTempPath(), "dm-testkit", $"master-{Guid.NewGuid():N}"[..19]);
        Directory.CreateDirectory(baseDir);
        var master = new DmMasterProcess(name, FreePort.Next(), baseDir, extraArguments ?? []);
        try
        {
            await master.StartProcessAsync(cancellationToken);
        }
        catch
        {
            await master.DisposeAsync();
            throw;
        }
        return master;
    }

    public Task RestartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning) throw new InvalidOperationException("master is running");
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
        var args = new List<string>
        {
            RepositoryLayout.ProgramDll("Dm.Master", "dm-master"),
            "--name", Name,
            "--master-addr", $"127.0.0.1:{Port}",
            "--data-dir", DataDirectory,
        };
        args.AddRange(_extraArguments);
        _process = ChildProcess.Start($"dm-master:{Port}", "dotnet", args, LogPath);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
                throw new InvalidOperationException($"dm-master exited with {_process.ExitCode}:\n{ReadLog()}");
            try
            {
                using var response = await Http.GetAsync("/status", cancellationToken);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException($"dm-master on port {Port} did not answer /status:\n{ReadLog()}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Http.Dispose();
        try { Directory.Delete(BaseDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
