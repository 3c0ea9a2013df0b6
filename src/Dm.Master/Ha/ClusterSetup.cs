using Dm.Core.CommandLine;
using Dm.Master.Hosting;

namespace Dm.Master.Ha;

/// <summary>Where a master keeps the cluster state.</summary>
public enum ClusterStateKind
{
    /// <summary>No HA flag: the embedded SQLite store in the data dir; this master is the cluster's only member.</summary>
    Local,
    /// <summary><c>--initial-cluster</c> or <c>--join</c>: an etcd member this master supervises, in its data dir.</summary>
    EtcdMember,
    /// <summary><c>--etcd-endpoints</c> (DM#): an etcd cluster run by someone else.</summary>
    ExternalEtcd,
}

/// <summary>
/// The cluster-state choice a master's options make, checked as a whole at start: HA flags that contradict each other,
/// or that the chosen kind of store cannot honour, are refused naming them, and a data dir holding the other kind's
/// state is refused rather than silently left aside.
/// </summary>
public sealed record ClusterSetup
{
    public required ClusterStateKind Kind { get; init; }
    /// <summary>The data dir, absolute.</summary>
    public required string DataDir { get; init; }
    /// <summary>Where this master's member listens for its peers (EtcdMember).</summary>
    public IReadOnlyList<string> PeerUrls { get; init; } = [];
    /// <summary>Where the peers reach this master's member (EtcdMember).</summary>
    public IReadOnlyList<string> AdvertisePeerUrls { get; init; } = [];
    /// <summary>The members of a new cluster (EtcdMember with <c>--initial-cluster</c>).</summary>
    public InitialCluster? Initial { get; init; }
    /// <summary>etcd's initial-cluster-state for <see cref="Initial"/>: new or existing.</summary>
    public string InitialClusterState { get; init; } = "new";
    /// <summary>Client addresses of running masters to join (EtcdMember with <c>--join</c>).</summary>
    public IReadOnlyList<string> JoinAddresses { get; init; } = [];
    /// <summary>Client URLs of the external etcd (ExternalEtcd).</summary>
    public IReadOnlyList<string> EtcdEndpoints { get; init; } = [];

    /// <summary>The etcd member's own data dir (EtcdMember).</summary>
    public string MemberDataDir => Path.Combine(DataDir, "etcd");

    /// <summary>The SQLite store's file (Local).</summary>
    public string LocalStoreFile => Path.Combine(DataDir, "cluster-state.db");

    /// <summary>Whether the member's data dir holds an initialised member (a restart: initial-cluster and join no longer apply).</summary>
    public bool MemberInitialised => Directory.Exists(Path.Combine(MemberDataDir, "member", "wal"));

    /// <exception cref="ProcessConfigException">a contradiction or an unusable value, named.</exception>
    public static ClusterSetup From(MasterOptions o)
    {
        var dataDir = Path.GetFullPath(o.EffectiveDataDir);
        if (o.InitialClusterState is not ("new" or "existing"))
            throw new ProcessConfigException($"initial-cluster-state \"{o.InitialClusterState}\" must be new or existing");
        if (o.ElectionTtl < TimeSpan.FromSeconds(1))
            throw new ProcessConfigException($"election-ttl {o.ElectionTtl} is too short: at least 1s");

        ClusterSetup setup;
        if (o.EtcdEndpoints != null)
        {
            if (o.InitialCluster != null || o.Join != null)
                throw new ProcessConfigException(
                    "etcd-endpoints cannot be given with initial-cluster or join: a master either uses an existing etcd or runs a member of its own");
            setup = new ClusterSetup
            {
                Kind = ClusterStateKind.ExternalEtcd,
                DataDir = dataDir,
                EtcdEndpoints = o.EtcdEndpoints.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            };
        }
        else if (o.InitialCluster != null || o.Join != null)
        {
            if (o.InitialCluster != null && o.Join != null)
                throw new ProcessConfigException(
                    "initial-cluster and join cannot both be given: initial-cluster starts a new cluster, join adds this master to a running one");
            setup = new ClusterSetup
            {
                Kind = ClusterStateKind.EtcdMember,
                DataDir = dataDir,
                PeerUrls = PeerUrl.ParseList("peer-urls", o.PeerUrls, o.Tls.Any),
                AdvertisePeerUrls = PeerUrl.ParseList("advertise-peer-urls", o.EffectiveAdvertisePeerUrls, o.Tls.Any),
                Initial = o.InitialCluster is { } text ? InitialCluster.Parse(text, o.Tls.Any) : null,
                InitialClusterState = o.InitialClusterState,
                JoinAddresses = o.Join?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [],
            };
            if (setup.Initial is { } initial && !initial.PeerUrlsOf(o.Name).Order().SequenceEqual(setup.AdvertisePeerUrls.Order()))
                throw new ProcessConfigException(
                    $"initial-cluster \"{initial}\" must name this master ({o.Name}) with its advertise-peer-urls \"{string.Join(',', setup.AdvertisePeerUrls)}\"");
            if (o.Join != null && o.InitialClusterState != "new")
                throw new ProcessConfigException("initial-cluster-state applies to initial-cluster; a master given join always joins an existing cluster");
            if (setup.JoinAddresses.Count == 0 && o.Join != null) throw new ProcessConfigException("join is empty");
        }
        else
        {
            if (o.InitialClusterState != "new")
                throw new ProcessConfigException(
                    "initial-cluster-state applies to initial-cluster: without initial-cluster, join or etcd-endpoints this master runs alone on its local store");
            setup = new ClusterSetup { Kind = ClusterStateKind.Local, DataDir = dataDir };
        }

        if (setup.Kind != ClusterStateKind.EtcdMember && o.Etcd.AnyGiven)
            throw new ProcessConfigException(
                "auto-compaction-mode, auto-compaction-retention, quota-backend-bytes, max-txn-ops and max-request-bytes configure the etcd member a master " +
                "runs (with initial-cluster or join); this master " + (setup.Kind == ClusterStateKind.Local ? "runs alone on its local store" : "uses etcd-endpoints"));
        if (setup.Kind != ClusterStateKind.Local) RequireReachableAdvertiseAddr(o.EffectiveAdvertiseAddr);
        setup.CheckTls(o.Tls);
        setup.CheckDataDir();
        return setup;
    }

    // Other masters forward requests and workers are redirected to this address: it must name a host.
    private static void RequireReachableAdvertiseAddr(string address)
    {
        var endpoint = ListenAddress.Parse(address);
        if (endpoint.Address.Equals(System.Net.IPAddress.Any) || endpoint.Address.Equals(System.Net.IPAddress.IPv6Any))
            throw new ProcessConfigException(
                $"advertise-addr \"{address}\" names no host: masters of a cluster forward requests and redirect workers to it, give one they can reach");
    }

    // TLS keys apply to every channel of a cluster: etcd must be reached over TLS, and what the etcd member cannot enforce is refused.
    private void CheckTls(Dm.Core.Tls.TlsSettings tls)
    {
        if (Kind == ClusterStateKind.ExternalEtcd)
        {
            var https = EtcdEndpoints.Where(e => e.StartsWith("https://", StringComparison.OrdinalIgnoreCase)).ToList();
            if (tls.Any && https.Count < EtcdEndpoints.Count)
                throw new ProcessConfigException(
                    $"etcd-endpoints \"{string.Join(',', EtcdEndpoints)}\" must all be https:// with ssl-ca, ssl-cert and ssl-key: the master talks to etcd over TLS, presenting its certificate");
            if (!tls.Any && https.Count > 0)
                throw new ProcessConfigException(
                    $"etcd-endpoints \"{string.Join(',', EtcdEndpoints)}\" are https: TLS to etcd needs ssl-ca (to check etcd's certificate), ssl-cert and ssl-key (the certificate the master presents)");
        }
        if (Kind == ClusterStateKind.EtcdMember && tls.CertAllowedCn.Count > 1)
            throw new ProcessConfigException(
                $"cert-allowed-cn \"{string.Join(',', tls.CertAllowedCn)}\" names several common names: the etcd member a master runs (initial-cluster, join) checks its peers against one (etcd's peer-cert-allowed-cn); give one");
    }

    private void CheckDataDir()
    {
        if (Kind != ClusterStateKind.Local && File.Exists(LocalStoreFile))
            throw new ProcessConfigException(
                $"data dir {DataDir} holds the local store of a single master ({LocalStoreFile}), whose state an etcd cluster would not see; " +
                "give this master a new data dir (dmctl config export/import moves sources and tasks)");
        if (Kind == ClusterStateKind.Local && Directory.Exists(Path.Combine(MemberDataDir, "member")))
            throw new ProcessConfigException(
                $"data dir {DataDir} holds an etcd member ({MemberDataDir}): start this master with the initial-cluster or join it was started with");
    }
}
