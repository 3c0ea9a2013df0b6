using Dm.Binlog.Replication;
using Dm.Core.Upstream;

namespace Dm.Worker.Units;

/// <summary>How the worker connects to an upstream as a replica (Sync reading the binlog, the relay pulling it): one place for the endpoint, TLS and heartbeat.</summary>
internal static class UpstreamReplica
{
    /// <summary>
    /// A replica connection to <paramref name="upstream"/> as server <paramref name="serverId"/>, with a heartbeat every second
    /// (a quiet upstream still shows the reader alive); as every other connection to a database: TLS when the config gives
    /// TLS material, verified by its CA (host name included), with its client certificate; no TLS otherwise.
    /// </summary>
    public static BinlogClientOptions Options(DatabaseEndpoint upstream, uint serverId) => new()
    {
        Host = upstream.Host,
        Port = upstream.Port,
        User = upstream.User,
        Password = upstream.Password,
        ServerId = serverId,
        HeartbeatPeriod = TimeSpan.FromSeconds(1),
        Tls = upstream.UsesTls ? TlsMode.Required : TlsMode.Disabled,
        ServerCertificateValidation = upstream.UsesTls ? DatabaseTls.ServerValidator(upstream) : null,
        ClientCertificate = upstream.UsesTls ? DatabaseTls.ClientCertificate(upstream) : null,
        AllowPublicKeyRetrieval = upstream.AllowPublicKeyRetrieval,
    };

    /// <summary>
    /// A replica server id derived from the source's (<paramref name="sourceServerId"/>) and a stable hash of
    /// <paramref name="name"/>: each reader of one upstream (a task's Sync, a worker's relay) is its own replica to it, and a
    /// server drops the older of two replicas with the same id.
    /// </summary>
    public static uint ServerId(uint sourceServerId, string name)
    {
        var hash = 2166136261u;
        foreach (var c in name) hash = (hash ^ c) * 16777619u;
        var baseId = sourceServerId != 0 ? sourceServerId : 429_000_000u;
        return (uint)((baseId + hash % 100_000) % 4_294_000_000u) + 1;
    }
}
