using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Dm.Core.CommandLine;
using Dm.Master.Hosting;

namespace Dm.Master.Ha;

/// <summary>
/// The etcd member a master runs (Debian's <c>etcd</c> on the PATH), as DM's master embeds one: built from the master's
/// name, peer URLs, initial cluster and etcd keys, its data in <c>&lt;data-dir&gt;/etcd</c>, its log in
/// <c>&lt;data-dir&gt;/etcd.log</c>, its client port on 127.0.0.1 for this master alone. The master restarts the member
/// when it exits, stops it (SIGTERM) when it stops itself, and, restarted after a crash that left the member running,
/// takes it over again (<see cref="EtcdMemberRecord"/>).
/// </summary>
public sealed class EtcdMemberProcess : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly ClusterSetup _setup;
    private readonly IReadOnlyList<string> _arguments;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Process? _child;
    private int _pid;
    private Task _supervision = Task.CompletedTask;

    private EtcdMemberProcess(ClusterSetup setup, string clientUrl, IReadOnlyList<string> arguments, ILogger logger)
    {
        _setup = setup;
        ClientUrl = clientUrl;
        _arguments = arguments;
        _logger = logger;
    }

    /// <summary>Where this master's store connects: the member's client URL on loopback.</summary>
    public string ClientUrl { get; }

    public string LogPath => Path.Combine(_setup.DataDir, "etcd.log");

    /// <summary>
    /// Takes over the member left running by a previous run of this master on the same data dir, or starts it.
    /// Does not wait for the member to serve: a new cluster has no quorum until enough of its masters run.
    /// </summary>
    /// <param name="initialCluster">etcd's initial cluster and its state: the configured one, or what joining returned.</param>
    public static EtcdMemberProcess Start(ClusterSetup setup, MasterOptions options, (string Members, string State) initialCluster, ILogger logger)
    {
        var etcd = FindOnPath("etcd") ?? throw new ProcessConfigException(
            "initial-cluster/join need Debian's etcd on the PATH (apt-get install etcd-server, or scripts/install-deps.sh): this master runs an etcd member");
        Directory.CreateDirectory(setup.DataDir);
        var record = EtcdMemberRecord.Read(setup.DataDir);
        if (record is { Pid: > 0 } && PosixSignal.RunsMember(record.Pid, setup.MemberDataDir))
        {
            var reattached = new EtcdMemberProcess(setup, record.ClientUrl, Arguments(setup, options, record.ClientUrl, initialCluster), logger) { _pid = record.Pid };
            logger.LogInformation("etcd member {Name} (pid {Pid}, client {ClientUrl}) still runs from before: this master uses it again",
                options.Name, record.Pid, record.ClientUrl);
            reattached._supervision = reattached.SuperviseAsync(etcd);
            return reattached;
        }

        var clientUrl = $"{(options.Tls.Any ? "https" : "http")}://127.0.0.1:{ClientPort(record)}";
        var member = new EtcdMemberProcess(setup, clientUrl, Arguments(setup, options, clientUrl, initialCluster), logger);
        member.Launch(etcd);
        member._supervision = member.SuperviseAsync(etcd);
        return member;
    }

    private static List<string> Arguments(ClusterSetup setup, MasterOptions options, string clientUrl, (string Members, string State) initialCluster) =>
    [
        $"--name={options.Name}",
        $"--data-dir={setup.MemberDataDir}",
        $"--listen-client-urls={clientUrl}",
        $"--advertise-client-urls={clientUrl}",
        $"--listen-peer-urls={string.Join(',', setup.PeerUrls)}",
        $"--initial-advertise-peer-urls={string.Join(',', setup.AdvertisePeerUrls)}",
        // Read only when the member is created: a restart keeps the membership in its data dir.
        $"--initial-cluster={initialCluster.Members}",
        $"--initial-cluster-state={initialCluster.State}",
        .. options.Etcd.ToEtcdFlags(),
        .. TlsFlags(options.Tls),
        "--logger=zap",
        "--log-outputs=stderr",
    ];

    // With the master's TLS keys, as DM's embedded etcd: its client and peer URLs serve TLS with the master's certificate and
    // take only clients and peers presenting a certificate ssl-ca issued (a peer's common name checked when cert-allowed-cn
    // names one; the client port is on loopback, for this master, and checks the issuer).
    private static IEnumerable<string> TlsFlags(Dm.Core.Tls.TlsSettings tls) => !tls.Any ? [] :
    [
        $"--cert-file={Path.GetFullPath(tls.SslCert)}",
        $"--key-file={Path.GetFullPath(tls.SslKey)}",
        $"--trusted-ca-file={Path.GetFullPath(tls.SslCa)}",
        "--client-cert-auth=true",
        $"--peer-cert-file={Path.GetFullPath(tls.SslCert)}",
        $"--peer-key-file={Path.GetFullPath(tls.SslKey)}",
        $"--peer-trusted-ca-file={Path.GetFullPath(tls.SslCa)}",
        "--peer-client-cert-auth=true",
        .. tls.CertAllowedCn.Select(cn => $"--peer-cert-allowed-cn={cn}"),
    ];

    // The previous client port when it is free again, else any free loopback port.
    private static int ClientPort(EtcdMemberRecord? record)
    {
        if (record != null && Uri.TryCreate(record.ClientUrl, UriKind.Absolute, out var previous) && IsFree(previous.Port)) return previous.Port;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Launch(string etcd)
    {
        // Through sh so that the member writes straight to its log file: it must outlive a master killed with SIGKILL,
        // which a pipe to the master would not let it do.
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = _setup.DataDir };
        foreach (var a in (string[])["-c", "log=$1; shift; exec \"$@\" </dev/null >>\"$log\" 2>&1", "sh", LogPath, etcd, .. _arguments])
            info.ArgumentList.Add(a);
        _child = Process.Start(info) ?? throw new InvalidOperationException("could not start etcd");
        _pid = _child.Id;
        new EtcdMemberRecord(_pid, ClientUrl).Write(_setup.DataDir);
        _logger.LogInformation("etcd member started: pid {Pid}, client {ClientUrl}, data {DataDir}, log {Log}", _pid, ClientUrl, _setup.MemberDataDir, LogPath);
    }

    // Restarts the member whenever it exits while the master runs.
    private async Task SuperviseAsync(string etcd)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (_child != null) await _child.WaitForExitAsync(_stop.Token);
                else
                {
                    while (PosixSignal.RunsMember(_pid, _setup.MemberDataDir)) await Task.Delay(500, _stop.Token);
                }
                _logger.LogWarning("etcd member (pid {Pid}) exited{Code}; restarting it in {Backoff}s; see {Log}: {Last}", _pid,
                    _child is { } c ? $" with status {c.ExitCode}" : "", backoff.TotalSeconds, LogPath, LastLine());
                await Task.Delay(backoff, _stop.Token);
                Launch(etcd);
                backoff = TimeSpan.FromSeconds(Math.Min(backoff.TotalSeconds * 2, 10));
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
            {
                // Could not start it (or note it): the loop sees the old process exited and tries again after the backoff.
                _logger.LogError("could not start the etcd member again: {Error}", e.Message);
            }
        }
    }

    private string LastLine()
    {
        try
        {
            return File.ReadLines(LogPath).LastOrDefault() ?? "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    /// <summary>Stops the member (SIGTERM, SIGKILL after 10 s) and its supervision.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync();
        await _supervision;
        if (_pid <= 0 || !PosixSignal.RunsMember(_pid, _setup.MemberDataDir)) return;
        PosixSignal.Terminate(_pid);
        var deadline = DateTime.UtcNow + StopGrace;
        while (PosixSignal.RunsMember(_pid, _setup.MemberDataDir) && DateTime.UtcNow < deadline) await Task.Delay(50);
        if (PosixSignal.RunsMember(_pid, _setup.MemberDataDir))
        {
            _logger.LogWarning("etcd member (pid {Pid}) did not stop within {Grace}s of SIGTERM: killing it", _pid, StopGrace.TotalSeconds);
            try { Process.GetProcessById(_pid).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
        }
        if (_child != null) await _child.WaitForExitAsync();
        _logger.LogInformation("etcd member (pid {Pid}) stopped", _pid);
        _child?.Dispose();
    }
}
