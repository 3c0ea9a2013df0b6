using Etcdserverpb;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dm.ClusterState.Etcd;

/// <summary>
/// The one gRPC channel to an etcd cluster (TLS with https endpoints) and dotnet-etcd's generated clients on it. The channel balances
/// round-robin over the members that are connected and reconnects lost ones in the background; every call waits
/// for a connected member (as etcd's own Go client does) but never past its deadline, and asks etcd to refuse it
/// when the member has no leader (etcd's "hasleader" metadata), so a member cut off from its cluster fails fast.
/// </summary>
internal sealed class EtcdConnection : IDisposable
{
    private static readonly Metadata RequireLeader = new() { { "hasleader", "true" } };

    private readonly ServiceProvider _services;
    private readonly GrpcChannel _channel;

    public EtcdConnection(IReadOnlyList<EtcdEndpoint> endpoints, EtcdClusterStoreOptions options)
    {
        Options = options;
        Endpoints = endpoints;
        var addresses = endpoints.Select(e => new BalancerAddress(e.Host, e.Port)).ToArray();
        _services = new ServiceCollection()
            .AddSingleton<ResolverFactory>(new StaticResolverFactory(_ => addresses))
            .BuildServiceProvider();
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.DialTimeout,
            KeepAlivePingDelay = options.KeepAliveTime,
            KeepAlivePingTimeout = options.KeepAliveTimeout,
            // etcd answers pings on idle connections with GOAWAY (it does not permit them without streams).
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        };
        // Over TLS each connection authenticates with these options, the member's address as the host its certificate must name.
        if (options.Tls != null) handler.SslOptions = options.Tls;
        _channel = GrpcChannel.ForAddress("static:///etcd", new GrpcChannelOptions
        {
            Credentials = endpoints[0].Secure ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure,
            ServiceProvider = _services,
            ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } },
            HttpHandler = handler,
            DisposeHttpClient = true,
            // etcd's own client accepts responses of any size; a large prefix read must not fail on a 4 MB default.
            MaxReceiveMessageSize = null,
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
            MaxReconnectBackoff = TimeSpan.FromSeconds(Math.Clamp(options.DialTimeout.TotalSeconds, 0.5, 5)),
        });
        var invoker = _channel.CreateCallInvoker();
        Kv = new KV.KVClient(invoker);
        Watch = new Watch.WatchClient(invoker);
        Lease = new Lease.LeaseClient(invoker);
        Cluster = new Cluster.ClusterClient(invoker);
    }

    public EtcdClusterStoreOptions Options { get; }

    public IReadOnlyList<EtcdEndpoint> Endpoints { get; }

    public KV.KVClient Kv { get; }

    public Watch.WatchClient Watch { get; }

    public Lease.LeaseClient Lease { get; }

    public Cluster.ClusterClient Cluster { get; }

    /// <summary>Options of a request: waits for a connected member, at most <paramref name="timeout"/> (the request timeout by default).</summary>
    public CallOptions Request(CancellationToken ct, TimeSpan? timeout = null)
        => new CallOptions(RequireLeader, DateTime.UtcNow + (timeout ?? Options.RequestTimeout), ct).WithWaitForReady();

    /// <summary>Options of a long-lived stream (a watch): no deadline, ended by <paramref name="ct"/>.</summary>
    public CallOptions Stream(CancellationToken ct) => new CallOptions(RequireLeader, null, ct).WithWaitForReady();

    public void Dispose()
    {
        _channel.Dispose();
        _services.Dispose();
    }
}
