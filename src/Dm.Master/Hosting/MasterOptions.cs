namespace Dm.Master.Hosting;

/// <summary>
/// dm-master settings, with DM's names: set by flags (<c>--master-addr</c>) or a TOML file
/// (<c>master-addr = "..."</c>); flags win over the file. Which cluster state they ask for is decided, and checked,
/// by <see cref="Ha.ClusterSetup"/>.
/// </summary>
public sealed record MasterOptions
{
    public string Name { get; init; } = "dm-master-" + Environment.MachineName;
    public string MasterAddr { get; init; } = "127.0.0.1:8261";
    public string? AdvertiseAddr { get; init; }
    public string PeerUrls { get; init; } = "http://127.0.0.1:8291";
    public string? AdvertisePeerUrls { get; init; }
    /// <summary>The masters of a new cluster, <c>name=peer-url,...</c>: this master runs an etcd member of that cluster.</summary>
    public string? InitialCluster { get; init; }
    public string InitialClusterState { get; init; } = "new";
    /// <summary>Client addresses of masters of a running cluster that this master joins as a new etcd member.</summary>
    public string? Join { get; init; }
    /// <summary>DM#: client URLs of an existing etcd cluster to keep the cluster state in, instead of a member of its own.</summary>
    public string? EtcdEndpoints { get; init; }
    /// <summary>
    /// DM#: the TTL of each master's election session: a leader that dies is replaced within about this long
    /// (DM's session TTL is a fixed 60 s).
    /// </summary>
    public TimeSpan ElectionTtl { get; init; } = TimeSpan.FromSeconds(10);
    public string? DataDir { get; init; }
    public string LogLevel { get; init; } = "info";
    public string? LogFile { get; init; }
    /// <summary>DM serves the OpenAPI only with <c>openapi = true</c>; DM# serves it unless turned off.</summary>
    public bool OpenApi { get; init; } = true;
    public string? SecretKeyPath { get; init; }
    public TimeSpan RpcTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>A worker whose stream is silent this long is offline.</summary>
    public TimeSpan KeepAliveTtl { get; init; } = TimeSpan.FromSeconds(60);
    public string? ConfigFile { get; init; }
    /// <summary>
    /// DM's <c>ssl-ca</c>, <c>ssl-cert</c>, <c>ssl-key</c>, <c>cert-allowed-cn</c>: TLS on the API and the worker channel, and in a
    /// cluster between masters and to etcd.
    /// </summary>
    public Dm.Core.Tls.TlsSettings Tls { get; init; } = new();

    /// <summary>The tuning DM gives its embedded etcd, for the member this master supervises (null: DM's default).</summary>
    public EtcdTuning Etcd { get; init; } = new();

    public string EffectiveDataDir => DataDir ?? "default." + Name;
    public string EffectiveAdvertiseAddr => AdvertiseAddr ?? MasterAddr;
    public string EffectiveAdvertisePeerUrls => AdvertisePeerUrls ?? PeerUrls;
}

/// <summary>
/// DM's etcd keys of master.toml (<c>auto-compaction-mode</c>, <c>auto-compaction-retention</c>, <c>quota-backend-bytes</c>,
/// <c>max-txn-ops</c>, <c>max-request-bytes</c>); each null when not given. They apply to the etcd member a master
/// supervises, with DM's defaults for those not given.
/// </summary>
public sealed record EtcdTuning
{
    public string? AutoCompactionMode { get; init; }
    public string? AutoCompactionRetention { get; init; }
    public long? QuotaBackendBytes { get; init; }
    public long? MaxTxnOps { get; init; }
    public long? MaxRequestBytes { get; init; }

    public bool AnyGiven => AutoCompactionMode != null || AutoCompactionRetention != null || QuotaBackendBytes != null
        || MaxTxnOps != null || MaxRequestBytes != null;

    /// <summary>etcd's flags for these settings, DM's defaults where not given (periodic 1h, 2 GiB, 2048 ops, 1.5 MiB).</summary>
    public IEnumerable<string> ToEtcdFlags() =>
    [
        $"--auto-compaction-mode={AutoCompactionMode ?? "periodic"}",
        $"--auto-compaction-retention={AutoCompactionRetention ?? "1h"}",
        $"--quota-backend-bytes={QuotaBackendBytes ?? 2L * 1024 * 1024 * 1024}",
        $"--max-txn-ops={MaxTxnOps ?? 2048}",
        $"--max-request-bytes={MaxRequestBytes ?? 1572864}",
    ];
}
