namespace Dm.Master.Hosting;

/// <summary>
/// dm-master settings, with DM's names: set by flags (<c>--master-addr</c>) or a TOML file
/// (<c>master-addr = "..."</c>); flags win over the file.
/// </summary>
public sealed record MasterOptions
{
    public string Name { get; init; } = "dm-master-" + Environment.MachineName;
    public string MasterAddr { get; init; } = "127.0.0.1:8261";
    public string? AdvertiseAddr { get; init; }
    public string PeerUrls { get; init; } = "http://127.0.0.1:8291";
    public string? AdvertisePeerUrls { get; init; }
    public string? InitialCluster { get; init; }
    public string InitialClusterState { get; init; } = "new";
    public string? Join { get; init; }
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

    public string EffectiveDataDir => DataDir ?? "default." + Name;
    public string EffectiveAdvertiseAddr => AdvertiseAddr ?? MasterAddr;
    public string EffectiveAdvertisePeerUrls => AdvertisePeerUrls ?? PeerUrls;
}
