using System.Globalization;
using System.Text;
using Dm.Core.Config;
using Dm.Master.Hosting;

namespace Dm.Master.Api;

/// <summary>
/// The running master's settings as the TOML its <c>--config</c> file takes (DM's keys), for dmctl
/// <c>config master</c>. The secret key file is named, never read.
/// </summary>
public static class MasterConfigToml
{
    public static string Render(MasterOptions o)
    {
        var text = new StringBuilder();
        void Line(string key, string value) => text.Append(key).Append(" = ").Append(Quote(value)).Append('\n');
        Line("name", o.Name);
        Line("master-addr", o.MasterAddr);
        Line("advertise-addr", o.EffectiveAdvertiseAddr);
        Line("peer-urls", o.PeerUrls);
        Line("advertise-peer-urls", o.EffectiveAdvertisePeerUrls);
        Line("initial-cluster", o.InitialCluster ?? "");
        Line("initial-cluster-state", o.InitialClusterState);
        Line("join", o.Join ?? "");
        Line("etcd-endpoints", o.EtcdEndpoints ?? "");
        Line("election-ttl", GoDuration.Format(o.ElectionTtl));
        Line("data-dir", o.EffectiveDataDir);
        Line("log-level", o.LogLevel);
        Line("log-file", o.LogFile ?? "");
        text.Append("openapi = ").Append(o.OpenApi ? "true" : "false").Append('\n');
        Line("secret-key-path", o.SecretKeyPath ?? "");
        Line("rpc-timeout", GoDuration.Format(o.RpcTimeout));
        Line("keepalive-ttl", GoDuration.Format(o.KeepAliveTtl));
        Line("ssl-ca", o.Tls.SslCa);
        Line("ssl-cert", o.Tls.SslCert);
        Line("ssl-key", o.Tls.SslKey);
        text.Append("cert-allowed-cn = [").Append(string.Join(", ", o.Tls.CertAllowedCn.Select(Quote))).Append("]\n");
        // The etcd keys only when given: they apply to a master that runs an etcd member, and are refused otherwise.
        if (o.Etcd.AutoCompactionMode is { } mode) Line("auto-compaction-mode", mode);
        if (o.Etcd.AutoCompactionRetention is { } retention) Line("auto-compaction-retention", retention);
        foreach (var (key, value) in new[] { ("quota-backend-bytes", o.Etcd.QuotaBackendBytes), ("max-txn-ops", o.Etcd.MaxTxnOps), ("max-request-bytes", o.Etcd.MaxRequestBytes) })
            if (value is { } n) text.Append(key).Append(" = ").Append(n.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return text.ToString();
    }

    /// <summary>A TOML basic string: quotes, backslashes and control characters escaped.</summary>
    private static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            if (c is '"' or '\\') text.Append('\\').Append(c);
            else if (char.IsControl(c)) text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            else text.Append(c);
        }
        return text.Append('"').ToString();
    }
}
