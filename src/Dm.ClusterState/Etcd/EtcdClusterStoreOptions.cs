using System.Net.Security;

namespace Dm.ClusterState.Etcd;

/// <summary>
/// How <see cref="EtcdClusterStore"/> reaches etcd: the client URLs of the cluster's members (requests are spread
/// over the members that answer, and move to the others when one is lost) and the deadlines that keep a lost
/// connection from hanging a caller, and the TLS of https:// endpoints.
/// </summary>
public sealed record EtcdClusterStoreOptions
{
    /// <summary>Client URLs of the etcd members, <c>http://host:port</c> or <c>host:port</c>.</summary>
    public required IReadOnlyList<string> Endpoints { get; init; }

    /// <summary>
    /// TLS to etcd: required with https:// endpoints (the client certificate presented and the check of the member's
    /// certificate), refused with http:// ones (every endpoint is one or the other). Copied for each connection.
    /// </summary>
    public SslClientAuthenticationOptions? Tls { get; init; }

    /// <summary>
    /// How long opening a TCP connection to one member may take; also bounds the first contact in
    /// <see cref="EtcdClusterStore.ConnectAsync"/> and each attempt of a watch to (re)open on a member.
    /// </summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The deadline of every request (including waiting for a member to become reachable), and how long a watch
    /// may keep trying to re-establish itself on another member after its connection was lost.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A connection carrying a watch or a request that received nothing for this long is probed with an HTTP/2 ping.
    /// etcd refuses pings more often than its <c>--grpc-keepalive-min-time</c> (5s by default).
    /// </summary>
    public TimeSpan KeepAliveTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A ping unanswered for this long closes the connection: its watches move to another member.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The endpoints parsed and every setting checked.</summary>
    /// <exception cref="ArgumentException">no endpoint, an endpoint that is not http(s)://host:port, http and https endpoints
    /// together, https without <see cref="Tls"/> or Tls with http, or a timeout that is not positive.</exception>
    public IReadOnlyList<EtcdEndpoint> Validate()
    {
        if (Endpoints is null || Endpoints.Count == 0)
            throw new ArgumentException("etcd store needs at least one endpoint", nameof(Endpoints));
        foreach (var (name, value) in new[] { (nameof(DialTimeout), DialTimeout), (nameof(RequestTimeout), RequestTimeout),
                     (nameof(KeepAliveTime), KeepAliveTime), (nameof(KeepAliveTimeout), KeepAliveTimeout) })
        {
            if (value <= TimeSpan.Zero)
                throw new ArgumentException($"etcd store {name} must be positive, got {value}", name);
        }
        var endpoints = Endpoints.Select(EtcdEndpoint.Parse).Distinct().ToList();
        if (endpoints.Any(e => e.Secure) && endpoints.Any(e => !e.Secure))
            throw new ArgumentException($"etcd endpoints {string.Join(',', endpoints)} mix http and https: every member is reached one way", nameof(Endpoints));
        if (endpoints[0].Secure && Tls == null)
            throw new ArgumentException($"etcd endpoints {string.Join(',', endpoints)} are https: TLS to etcd needs a CA to check the members' certificate (ssl-ca)", nameof(Tls));
        if (!endpoints[0].Secure && Tls != null)
            throw new ArgumentException($"etcd endpoints {string.Join(',', endpoints)} are http: TLS to etcd is given, so the endpoints must be https://", nameof(Tls));
        return endpoints;
    }
}
