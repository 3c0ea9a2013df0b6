using System.Net.Http;

namespace Dm.TestKit;

/// <summary>
/// A real <c>etcd</c> member (Debian's etcd-server) on free loopback client and peer ports with a temporary data dir.
/// <see cref="StartAsync"/> starts a one-member cluster, <see cref="StartClusterAsync"/> several members that form
/// one cluster (<c>--initial-cluster</c>). A member can be killed (SIGKILL) and started again on the same ports and
/// data dir; starting waits until the member reports itself healthy (it answers and its cluster has a leader). Given TLS
/// files, its client port serves TLS with that certificate and takes only clients presenting one its CA issued.
/// </summary>
public sealed class EtcdServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    // etcd's --initial-cluster (every member's name=peer URL) and --initial-cluster-token of the cluster.
    private readonly (string Members, string Token) _cluster;
    private readonly (int Client, int Peer) _ports;
    private readonly TestTlsFiles? _tls;
    private readonly HttpClient _http;
    private ChildProcess? _process;

    private EtcdServer(string name, (int Client, int Peer) ports, string baseDirectory, (string Members, string Token) cluster, TestTlsFiles? tls)
    {
        (Name, _ports, BaseDirectory, _cluster, _tls) = (name, ports, baseDirectory, cluster, tls);
        _http = new HttpClient(tls?.Handler() ?? new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(2) };
    }

    /// <summary>The member's name in its cluster (etcd0, etcd1, ...).</summary>
    public string Name { get; }
    /// <summary>Where clients (the store) connect, on 127.0.0.1.</summary>
    public int ClientPort => _ports.Client;
    /// <summary>Where the other members connect, on 127.0.0.1.</summary>
    public int PeerPort => _ports.Peer;
    /// <summary>The member's scratch directory: data dir and log.</summary>
    public string BaseDirectory { get; }
    public string DataDirectory => Path.Combine(BaseDirectory, "data");
    public string LogPath => Path.Combine(BaseDirectory, "etcd.log");
    public string ClientUrl => $"{(_tls == null ? "http" : "https")}://127.0.0.1:{ClientPort}";
    public string PeerUrl => $"http://127.0.0.1:{PeerPort}";
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>A one-member cluster; with <paramref name="tls"/>, its client port serves TLS to certificate holders only.</summary>
    public static async Task<EtcdServer> StartAsync(CancellationToken cancellationToken = default, TestTlsFiles? tls = null)
        => (await StartClusterAsync(1, cancellationToken, tls)).Members[0];

    /// <summary>
    /// <paramref name="members"/> members forming one new cluster; returns once every member is healthy.
    /// For one member, dispose the member itself or the cluster: both stop it.
    /// </summary>
    public static async Task<EtcdCluster> StartClusterAsync(int members = 3, CancellationToken cancellationToken = default, TestTlsFiles? tls = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        var ports = Enumerable.Range(0, members).Select(i => (Name: $"etcd{i}", Client: FreePort.Next(), Peer: FreePort.Next())).ToList();
        string initialCluster = string.Join(',', ports.Select(p => $"{p.Name}=http://127.0.0.1:{p.Peer}"));
        string token = "dm-test-" + Guid.NewGuid().ToString("N")[..12];
        var servers = ports.Select(p => new EtcdServer(p.Name, (p.Client, p.Peer), ScratchDirectory.Create("etcd"), (initialCluster, token), tls)).ToList();
        var cluster = new EtcdCluster(servers);
        try
        {
            // Every member must run before any becomes healthy: a new cluster elects its first leader among all.
            foreach (var server in servers)
                server.StartProcess();
            await Task.WhenAll(servers.Select(s => s.WaitHealthyAsync(cancellationToken)));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    /// <summary>Starts the member again on the same ports and data dir after <see cref="Kill"/> or <see cref="StopAsync"/>.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning) throw new InvalidOperationException($"etcd member {Name} is running");
        // A member just killed may not be reaped yet: its ports stay bound for a moment, and etcd exits at once on them.
        await WaitForPortsFreeAsync(cancellationToken);
        StartProcess();
        await WaitHealthyAsync(cancellationToken);
    }

    private async Task WaitForPortsFreeAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        foreach (var port in new[] { _ports.Client, _ports.Peer })
        {
            while (true)
            {
                // With SO_REUSEADDR, as etcd listens: only a socket still listening there (not TIME_WAIT) makes it fail.
                var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
                probe.Server.SetSocketOption(System.Net.Sockets.SocketOptionLevel.Socket, System.Net.Sockets.SocketOptionName.ReuseAddress, true);
                try
                {
                    probe.Start();
                    break;
                }
                catch (System.Net.Sockets.SocketException)
                {
                    if (DateTime.UtcNow >= deadline) break; // let etcd say what is wrong
                    await Task.Delay(100, cancellationToken);
                }
                finally
                {
                    probe.Stop();
                }
            }
        }
    }

    /// <summary>SIGKILL: what a crash of the member looks like to its clients and peers.</summary>
    public void Kill()
    {
        _process?.KillNow();
        _process = null;
    }

    /// <summary>
    /// SIGSTOP, returning once the member is stopped: it stays connected but answers nothing (a hung or partitioned
    /// machine); <see cref="Thaw"/> resumes it.
    /// </summary>
    public Task FreezeAsync(CancellationToken cancellationToken = default)
        => Signal.FreezeAsync((_process ?? throw new InvalidOperationException($"etcd member {Name} is not running")).Pid, cancellationToken);

    public void Thaw()
    {
        if (_process is { } p) Signal.Thaw(p.Pid);
    }

    public async Task StopAsync()
    {
        if (_process != null) await _process.StopAsync(TimeSpan.FromSeconds(10));
        _process = null;
    }

    /// <summary>Whether the member answers /health with "true" (it serves and its cluster has a leader).</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            string body = await _http.GetStringAsync($"{ClientUrl}/health", cancellationToken);
            return body.Contains("\"health\":\"true\"", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public string ReadLog() => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "(no etcd log)";

    private void StartProcess()
    {
        var args = new List<string>
        {
            $"--name={Name}",
            $"--data-dir={DataDirectory}",
            $"--listen-client-urls={ClientUrl}",
            $"--advertise-client-urls={ClientUrl}",
            $"--listen-peer-urls={PeerUrl}",
            $"--initial-advertise-peer-urls={PeerUrl}",
            $"--initial-cluster={_cluster.Members}",
            // Ignored once the data dir holds the member's state (a restart).
            "--initial-cluster-state=new",
            $"--initial-cluster-token={_cluster.Token}",
            "--logger=zap",
            "--log-outputs=stderr",
        };
        if (_tls != null)
            args.AddRange([$"--cert-file={_tls.Cert}", $"--key-file={_tls.Key}", $"--trusted-ca-file={_tls.Ca}", "--client-cert-auth=true"]);
        _process = ChildProcess.Start($"etcd:{Name}:{ClientPort}", "etcd", args, LogPath);
    }

    private async Task WaitHealthyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process is not { } process)
                throw new InvalidOperationException($"etcd member {Name} is not running");
            if (process.HasExited)
                throw new InvalidOperationException($"etcd member {Name} exited with {process.ExitCode}:\n{Tail(ReadLog())}");
            if (await IsHealthyAsync(cancellationToken))
                return;
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException($"etcd member {Name} on {ClientUrl} was not healthy within {StartTimeout}:\n{Tail(ReadLog())}");
    }

    private static string Tail(string log) => log.Length <= 4000 ? log : log[^4000..];

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
        try { Directory.Delete(BaseDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
