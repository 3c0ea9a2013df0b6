using System.Globalization;
using Dm.Core.CommandLine;
using Dm.Core.Tls;

namespace Dm.Master.Hosting;

/// <summary>dm-master's flags and TOML keys, with DM's names.</summary>
public static class MasterCommandLine
{
    private static readonly ProcessSettings<MasterOptions> Settings = new(
        new Dictionary<string, Func<MasterOptions, string, MasterOptions>>(StringComparer.Ordinal)
        {
            ["name"] = (o, v) => o with { Name = v },
            ["master-addr"] = (o, v) => o with { MasterAddr = v },
            ["advertise-addr"] = (o, v) => o with { AdvertiseAddr = Given(v) },
            ["peer-urls"] = (o, v) => o with { PeerUrls = v },
            ["advertise-peer-urls"] = (o, v) => o with { AdvertisePeerUrls = Given(v) },
            ["initial-cluster"] = (o, v) => o with { InitialCluster = Given(v) },
            ["initial-cluster-state"] = (o, v) => o with { InitialClusterState = v },
            ["join"] = (o, v) => o with { Join = Given(v) },
            ["etcd-endpoints"] = (o, v) => o with { EtcdEndpoints = Given(v) },
            ["election-ttl"] = (o, v) => o with { ElectionTtl = ProcessSettings<MasterOptions>.ParseDuration("election-ttl", v) },
            ["data-dir"] = (o, v) => o with { DataDir = Given(v) },
            ["log-level"] = (o, v) => o with { LogLevel = v },
            ["L"] = (o, v) => o with { LogLevel = v },
            ["log-file"] = (o, v) => o with { LogFile = Given(v) },
            ["openapi"] = (o, v) => o with { OpenApi = ProcessSettings<MasterOptions>.ParseBool("openapi", v) },
            ["secret-key-path"] = (o, v) => o with { SecretKeyPath = Given(v) },
            ["rpc-timeout"] = (o, v) => o with { RpcTimeout = ProcessSettings<MasterOptions>.ParseDuration("rpc-timeout", v) },
            ["keepalive-ttl"] = (o, v) => o with { KeepAliveTtl = ProcessSettings<MasterOptions>.ParseDuration("keepalive-ttl", v) },
            ["auto-compaction-mode"] = (o, v) => o with { Etcd = o.Etcd with { AutoCompactionMode = v } },
            ["auto-compaction-retention"] = (o, v) => o with { Etcd = o.Etcd with { AutoCompactionRetention = v } },
            ["quota-backend-bytes"] = (o, v) => o with { Etcd = o.Etcd with { QuotaBackendBytes = Count("quota-backend-bytes", v) } },
            ["max-txn-ops"] = (o, v) => o with { Etcd = o.Etcd with { MaxTxnOps = Count("max-txn-ops", v) } },
            ["max-request-bytes"] = (o, v) => o with { Etcd = o.Etcd with { MaxRequestBytes = Count("max-request-bytes", v) } },
            ["ssl-ca"] = (o, v) => o with { Tls = o.Tls with { SslCa = v } },
            ["ssl-cert"] = (o, v) => o with { Tls = o.Tls with { SslCert = v } },
            ["ssl-key"] = (o, v) => o with { Tls = o.Tls with { SslKey = v } },
            ["cert-allowed-cn"] = (o, v) => o with { Tls = o.Tls with { CertAllowedCn = TlsSettings.ParseNames(v) } },
        },
        new HashSet<string>(StringComparer.Ordinal) { "openapi" },
        // Keys DM's master.toml may hold that DM# accepts and does not use (yet).
        new HashSet<string>(StringComparer.Ordinal)
        {
            "rpc-rate-limit", "rpc-rate-burst", "experimental", "v1-sources-path", "log-format", "log-rotate",
        });

    public static MasterOptions Parse(IReadOnlyList<string> args) =>
        Settings.Parse(args, new MasterOptions(), (o, file) => o with { ConfigFile = file });

    // An empty value (a TOML file written by `config master` holds every key) is the same as not giving it.
    private static string? Given(string value) => value.Length == 0 ? null : value;

    private static long Count(string name, string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ProcessConfigException($"invalid value \"{value}\" for {name}: expected a positive whole number");
}
