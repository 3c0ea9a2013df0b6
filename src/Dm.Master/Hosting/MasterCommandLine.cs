using Dm.Core.CommandLine;

namespace Dm.Master.Hosting;

/// <summary>dm-master's flags and TOML keys, with DM's names.</summary>
public static class MasterCommandLine
{
    private static readonly ProcessSettings<MasterOptions> Settings = new(
        new Dictionary<string, Func<MasterOptions, string, MasterOptions>>(StringComparer.Ordinal)
        {
            ["name"] = (o, v) => o with { Name = v },
            ["master-addr"] = (o, v) => o with { MasterAddr = v },
            ["advertise-addr"] = (o, v) => o with { AdvertiseAddr = v },
            ["peer-urls"] = (o, v) => o with { PeerUrls = v },
            ["advertise-peer-urls"] = (o, v) => o with { AdvertisePeerUrls = v },
            ["initial-cluster"] = (o, v) => o with { InitialCluster = v },
            ["initial-cluster-state"] = (o, v) => o with { InitialClusterState = v },
            ["join"] = (o, v) => o with { Join = v },
            ["data-dir"] = (o, v) => o with { DataDir = v },
            ["log-level"] = (o, v) => o with { LogLevel = v },
            ["L"] = (o, v) => o with { LogLevel = v },
            ["log-file"] = (o, v) => o with { LogFile = v },
            ["openapi"] = (o, v) => o with { OpenApi = ProcessSettings<MasterOptions>.ParseBool("openapi", v) },
            ["secret-key-path"] = (o, v) => o with { SecretKeyPath = v },
            ["rpc-timeout"] = (o, v) => o with { RpcTimeout = ProcessSettings<MasterOptions>.ParseDuration("rpc-timeout", v) },
            ["keepalive-ttl"] = (o, v) => o with { KeepAliveTtl = ProcessSettings<MasterOptions>.ParseDuration("keepalive-ttl", v) },
        },
        new HashSet<string>(StringComparer.Ordinal) { "openapi" },
        // Keys DM's master.toml may hold that DM# accepts and does not use (yet).
        new HashSet<string>(StringComparer.Ordinal)
        {
            "rpc-rate-limit", "rpc-rate-burst", "auto-compaction-mode", "auto-compaction-retention",
            "quota-backend-bytes", "max-txn-ops", "max-request-bytes", "ssl-ca", "ssl-cert", "ssl-key",
            "cert-allowed-cn", "experimental", "v1-sources-path", "log-format", "log-rotate",
        });

    public static MasterOptions Parse(IReadOnlyList<string> args) =>
        Settings.Parse(args, new MasterOptions(), (o, file) => o with { ConfigFile = file });
}
