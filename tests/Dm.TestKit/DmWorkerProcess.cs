namespace Dm.TestKit;

/// <summary>A real <c>dm-worker</c> process on a free loopback port, joined to the given masters with their join secret.</summary>
public sealed class DmWorkerProcess : IAsyncDisposable
{
    private readonly DmServerProcess _server;

    public string Name { get; }
    public int Port { get; }
    public string BaseDirectory { get; }
    public string LogPath => Path.Combine(BaseDirectory, "worker.log");
    public bool IsRunning => _server.IsRunning;

    private DmWorkerProcess(string name, int port, string baseDirectory, IReadOnlyList<string> arguments, TestTlsFiles? tls)
    {
        Name = name;
        Port = port;
        BaseDirectory = baseDirectory;
        // Its working directory holds what the worker writes (dump files), like a real deployment's.
        _server = new DmServerProcess("dm-worker", port, arguments, LogPath, workingDirectory: baseDirectory, tls: tls);
    }

    /// <param name="keepAliveTtlSeconds">how long the master waits for a heartbeat before taking the worker offline.</param>
    public static async Task<DmWorkerProcess> StartAsync(string name, IEnumerable<DmMasterProcess> masters, int keepAliveTtlSeconds = 3,
        IReadOnlyList<string>? extraArguments = null, CancellationToken cancellationToken = default, TestTlsFiles? tls = null)
    {
        var baseDir = ScratchDirectory.Create("worker");
        var port = FreePort.Next();
        var joined = masters.ToList();
        List<string> args =
        [
            RepositoryLayout.ProgramDll("Dm.Worker", "dm-worker"),
            "--name", name,
            "--worker-addr", $"127.0.0.1:{port}",
            "--join", string.Join(',', joined.Select(m => $"127.0.0.1:{m.Port}")),
            // Every master of a cluster writes the cluster's one secret into its data dir.
            "--join-secret-file", joined[0].JoinSecretPath,
            "--keepalive-ttl", keepAliveTtlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            .. tls?.Arguments ?? [],
            .. extraArguments ?? [],
        ];
        var worker = new DmWorkerProcess(name, port, baseDir, args, tls);
        try
        {
            await worker._server.StartAsync(cancellationToken);
        }
        catch
        {
            await worker.DisposeAsync();
            throw;
        }
        return worker;
    }

    public Task RestartAsync(CancellationToken cancellationToken = default) => _server.StartAsync(cancellationToken);

    /// <summary>SIGKILL, as a crash.</summary>
    public void Kill() => _server.Kill();

    /// <inheritdoc cref="DmServerProcess.Freeze"/>
    public void Freeze() => _server.Freeze();

    public void Thaw() => _server.Thaw();

    public Task StopAsync() => _server.StopAsync();

    public string ReadLog() => _server.ReadLog();

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        KeptLogs.Keep(LogPath, Path.GetFileName(BaseDirectory));
        try { Directory.Delete(BaseDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
