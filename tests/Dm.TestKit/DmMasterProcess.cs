namespace Dm.TestKit;

/// <summary>
/// A real <c>dm-master</c> process on a free loopback port with its own data dir. It can be killed and
/// started again on the same port and data dir to test what survives a restart.
/// </summary>
public sealed class DmMasterProcess : IAsyncDisposable
{
    private readonly DmServerProcess _server;

    public string Name { get; }
    public int Port { get; }
    public string DataDirectory { get; }
    public string BaseDirectory { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public HttpClient Http { get; }
    public string LogPath => Path.Combine(BaseDirectory, "master.log");
    public bool IsRunning => _server.IsRunning;

    private DmMasterProcess(string name, int port, string baseDirectory, IReadOnlyList<string> extraArguments)
    {
        Name = name;
        Port = port;
        BaseDirectory = baseDirectory;
        DataDirectory = Path.Combine(baseDirectory, "data");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        List<string> args =
        [
            RepositoryLayout.ProgramDll("Dm.Master", "dm-master"),
            "--name", name,
            "--master-addr", $"127.0.0.1:{port}",
            "--data-dir", DataDirectory,
            .. extraArguments,
        ];
        _server = new DmServerProcess("dm-master", port, args, LogPath);
    }

    public static async Task<DmMasterProcess> StartAsync(string name = "master1", IReadOnlyList<string>? extraArguments = null,
        CancellationToken cancellationToken = default)
    {
        var baseDir = ScratchDirectory.Create("master");
        var master = new DmMasterProcess(name, FreePort.Next(), baseDir, extraArguments ?? []);
        try
        {
            await master._server.StartAsync(cancellationToken);
        }
        catch
        {
            await master.DisposeAsync();
            throw;
        }
        return master;
    }

    public Task RestartAsync(CancellationToken cancellationToken = default) => _server.StartAsync(cancellationToken);

    /// <summary>SIGKILL, as a crash.</summary>
    public void Kill() => _server.Kill();

    public Task StopAsync() => _server.StopAsync();

    public string ReadLog() => _server.ReadLog();

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        KeptLogs.Keep(LogPath, Path.GetFileName(BaseDirectory));
        Http.Dispose();
        try { Directory.Delete(BaseDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
