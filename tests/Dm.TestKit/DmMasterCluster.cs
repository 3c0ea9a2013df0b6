using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Dm.TestKit;

/// <summary>
/// Several real dm-masters forming one cluster, as DM users run them: each on free loopback ports, started with
/// <c>--initial-cluster</c> naming them all (each runs an etcd member), more added later with <c>--join</c>. A master can be
/// killed (its machine: master and etcd member) and restarted on its ports and data dir. Disposing stops them all.
/// </summary>
public sealed class DmMasterCluster : IAsyncDisposable
{
    private static readonly TimeSpan LeaderTimeout = TimeSpan.FromSeconds(60);
    private readonly List<DmMasterProcess> _masters;
    private readonly IReadOnlyList<string> _extraArguments;
    private readonly Func<string, TestTlsFiles>? _tls;

    private DmMasterCluster(List<DmMasterProcess> masters, IReadOnlyList<string> extraArguments, Func<string, TestTlsFiles>? tls)
        => (_masters, _extraArguments, _tls) = (masters, extraArguments, tls);

    public IReadOnlyList<DmMasterProcess> Masters => _masters;

    /// <param name="electionTtl">each master's election-ttl, in seconds: how long a dead leader goes unnoticed at most.</param>
    /// <param name="extraArguments">more flags for every master.</param>
    /// <param name="tls">each master's TLS keys by its name (it is then reached over https presenting them); null for none.</param>
    public static async Task<DmMasterCluster> StartAsync(int count = 3, int electionTtl = 3, IReadOnlyList<string>? extraArguments = null,
        string namePrefix = "master", CancellationToken cancellationToken = default, Func<string, TestTlsFiles>? tls = null)
    {
        var ports = Enumerable.Range(1, count).Select(i => (Name: $"{namePrefix}{i}", Port: FreePort.Next(), Peer: FreePort.Next())).ToList();
        var initialCluster = string.Join(',', ports.Select(p => $"{p.Name}=http://127.0.0.1:{p.Peer}"));
        IReadOnlyList<string> common = ["--election-ttl", electionTtl.ToString(CultureInfo.InvariantCulture) + "s", .. extraArguments ?? []];
        var cluster = new DmMasterCluster([], common, tls);
        try
        {
            // Each answers /status before its etcd member has a quorum, so they start one after the other.
            foreach (var (name, port, peer) in ports)
                cluster._masters.Add(await DmMasterProcess.StartAsync(name, port, peer,
                    [.. PeerArguments(peer), "--initial-cluster", initialCluster, .. common], cancellationToken, tls?.Invoke(name)));
            await cluster.WaitForLeaderAsync(cancellationToken: cancellationToken);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    /// <summary>Adds a master with <c>--join</c> (the addresses of the masters running now); returns once it answers.</summary>
    public async Task<DmMasterProcess> JoinAsync(string name, CancellationToken cancellationToken = default)
    {
        var peer = FreePort.Next();
        var join = string.Join(',', _masters.Where(m => m.IsRunning).Select(m => m.Address));
        var master = await DmMasterProcess.StartAsync(name, FreePort.Next(), peer, [.. PeerArguments(peer), "--join", join, .. _extraArguments],
            cancellationToken, _tls?.Invoke(name));
        _masters.Add(master);
        return master;
    }

    /// <summary>Stops and forgets a master (after it was taken offline).</summary>
    public async Task RemoveAsync(DmMasterProcess master)
    {
        _masters.Remove(master);
        await master.DisposeAsync();
    }

    private static string[] PeerArguments(int peer) => ["--peer-urls", $"http://127.0.0.1:{peer}"];

    /// <summary>GET /api/v1/cluster/masters as one master answers it: name → (alive, leader); null if it gave no list.</summary>
    public static async Task<Dictionary<string, (bool Alive, bool Leader)>?> MastersSeenByAsync(DmMasterProcess master,
        CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await master.Http.GetAsync("/api/v1/cluster/masters", cancellationToken);
            if (!response.IsSuccessStatusCode) return null;
            var list = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
            return list!["data"]!.AsArray().ToDictionary(m => m!["name"]!.GetValue<string>(),
                m => (m!["alive"]!.GetValue<bool>(), m["leader"]!.GetValue<bool>()));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>
    /// Waits until the running masters (but <paramref name="except"/>) agree on one leader, itself running and not
    /// <paramref name="except"/>, and answer through it; returns the leader.
    /// </summary>
    public async Task<DmMasterProcess> WaitForLeaderAsync(DmMasterProcess? except = null, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + (timeout ?? LeaderTimeout);
        var seen = "";
        while (DateTime.UtcNow < deadline)
        {
            var running = _masters.Where(m => m.IsRunning && m != except).ToList();
            var views = await Task.WhenAll(running.Select(m => MastersSeenByAsync(m, cancellationToken)));
            var leaders = views.Select(v => v?.Where(e => e.Value.Leader).Select(e => e.Key).SingleOrDefault()).Distinct().ToList();
            seen = string.Join("; ", running.Zip(views, (m, v) => $"{m.Name}: {(v == null ? "no answer" : string.Join(',', v.Select(e => $"{e.Key}{(e.Value.Leader ? "*" : "")}{(e.Value.Alive ? "" : "(dead)")}")))}"));
            if (leaders is [{ } name] && running.FirstOrDefault(m => m.Name == name) is { } leader) return leader;
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException($"the masters did not agree on a leader within {timeout ?? LeaderTimeout}: {seen}");
    }

    public async ValueTask DisposeAsync()
    {
        // Together: one by one, the last ones would wait for an etcd quorum that the first ones took away.
        await Task.WhenAll(_masters.Select(m => m.DisposeAsync().AsTask()));
    }
}
