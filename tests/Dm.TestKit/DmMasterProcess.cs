using System.Text.Json;

namespace Dm.TestKit;

/// <summary>
/// A real <c>dm-master</c> process on a free loopback port with its own data dir. It can be killed and
/// started again on the same port and data dir to test what survives a restart. A master of a cluster
/// (<see cref="DmMasterCluster"/>) also runs an etcd member, which a crash of its machine takes down with it
/// (<see cref="Kill"/>) and a crash of the master alone leaves running (<see cref="KillMasterOnly"/>).
/// </summary>
public sealed class DmMasterProcess : IAsyncDisposable
{
    private readonly DmServerProcess _server;

    public string Name { get; }
    public int Port { get; }
    /// <summary>The etcd peer port of a master of a cluster (0 for a master alone on its local store).</summary>
    public int PeerPort { get; }
    public string DataDirectory { get; }
    public string BaseDirectory { get; }
    public Uri BaseAddress { get; }
    public string Address => $"127.0.0.1:{Port}";
    public HttpClient Http { get; }
    public string LogPath => Path.Combine(BaseDirectory, "master.log");
    /// <summary>The file this master writes the cluster's join secret to (workers are given it).</summary>
    public string JoinSecretPath => Path.Combine(DataDirectory, "join-secret");
    public bool IsRunning => _server.IsRunning;
    public int Pid => _server.Pid;

    private DmMasterProcess(string name, int port, int peerPort, string baseDirectory, IReadOnlyList<string> extraArguments, TestTlsFiles? tls = null)
    {
        Name = name;
        Port = port;
        PeerPort = peerPort;
        BaseDirectory = baseDirectory;
        DataDirectory = Path.Combine(baseDirectory, "data");
        BaseAddress = new Uri($"{(tls == null ? "http" : "https")}://127.0.0.1:{port}");
        Http = tls == null ? new HttpClient() : new HttpClient(tls.Handler());
        Http.BaseAddress = BaseAddress;
        Http.Timeout = TimeSpan.FromSeconds(60);
        List<string> args =
        [
            RepositoryLayout.ProgramDll("Dm.Master", "dm-master"),
            "--name", name,
            "--master-addr", $"127.0.0.1:{port}",
            "--data-dir", DataDirectory,
            .. tls?.Arguments ?? [],
            .. extraArguments,
        ];
        _server = new DmServerProcess("dm-master", port, args, LogPath, tls: tls);
    }

    /// <param name="tls">TLS keys for the master: it is then reached over https (also by <see cref="Http"/>) presenting that certificate.</param>
    public static Task<DmMasterProcess> StartAsync(string name = "master1", IReadOnlyList<string>? extraArguments = null,
        CancellationToken cancellationToken = default, TestTlsFiles? tls = null) =>
        RunAsync(new DmMasterProcess(name, FreePort.Next(), 0, ScratchDirectory.Create("master"), extraArguments ?? [], tls), cancellationToken);

    /// <summary>A master on the given ports (a cluster's members must know each other's before they start).</summary>
    internal static Task<DmMasterProcess> StartAsync(string name, int port, int peerPort, IReadOnlyList<string> extraArguments,
        CancellationToken cancellationToken, TestTlsFiles? tls = null) =>
        RunAsync(new DmMasterProcess(name, port, peerPort, ScratchDirectory.Create("master"), extraArguments, tls), cancellationToken);

    private static async Task<DmMasterProcess> RunAsync(DmMasterProcess master, CancellationToken cancellationToken)
    {
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

    /// <summary>SIGKILL, as a crash of the master's machine: the master and the etcd member it runs.</summary>
    public void Kill()
    {
        _server.Kill();
        KillEtcdMember();
    }

    /// <summary>SIGSTOP of the master process (a master alone on its local store: nothing else to freeze); <see cref="Thaw"/> resumes it.</summary>
    public void Freeze() => _server.Freeze();

    /// <summary>SIGCONT after <see cref="Freeze"/>.</summary>
    public void Thaw() => _server.Thaw();

    /// <summary>SIGKILL of the master process alone: its etcd member keeps running, and the master takes it over when restarted.</summary>
    public void KillMasterOnly() => _server.Kill(entireProcessTree: false);

    /// <summary>The client URL of the etcd member this master runs (from its record in the data dir); null for none.</summary>
    public string? EtcdMemberClientUrl => ReadMemberRecord() is { } r && r.TryGetProperty("client_url", out var url) ? url.GetString() : null;

    /// <summary>Whether the etcd member this master runs is up (false for a master alone on its local store).</summary>
    public bool EtcdMemberRunning => EtcdMemberPid() is { } pid && ChildProcess.IsAlive(pid);

    public Task StopAsync() => _server.StopAsync();

    public string ReadLog() => _server.ReadLog();

    // The member outlives a master killed alone (it is no longer the master's child then): its pid is in the data dir.
    private int? EtcdMemberPid() => ReadMemberRecord() is { } r && r.TryGetProperty("pid", out var pid) ? pid.GetInt32() : null;

    private JsonElement? ReadMemberRecord()
    {
        try
        {
            using var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(DataDirectory, "etcd-member.json")));
            return record.RootElement.Clone();
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    private void KillEtcdMember()
    {
        if (EtcdMemberPid() is { } pid && ChildProcess.IsAlive(pid))
        {
            try { System.Diagnostics.Process.GetProcessById(pid).Kill(); }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        KillEtcdMember();
        KeptLogs.Keep(LogPath, Path.GetFileName(BaseDirectory));
        KeptLogs.Keep(Path.Combine(DataDirectory, "etcd.log"), Path.GetFileName(BaseDirectory));
        Http.Dispose();
        try { Directory.Delete(BaseDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
