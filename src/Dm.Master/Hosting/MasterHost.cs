using System.Text.Json.Nodes;
using Dm.ClusterState;
using Dm.ClusterState.Etcd;
using Dm.ClusterState.Sqlite;
using Dm.Core.Api;
using Dm.Core.CommandLine;
using Dm.Core.Metrics;
using Dm.Core.Tls;
using Dm.Master.Api;
using Dm.Master.Cluster;
using Dm.Master.Ha;
using Dm.Master.OpenApi;
using Dm.Master.Sources;
using Dm.Master.State;
using Dm.Master.Tasks;
using Dm.Master.Workers;
using Grpc.AspNetCore.Web;
using Microsoft.Extensions.Logging.Console;

namespace Dm.Master.Hosting;

/// <summary>
/// Composes and runs one dm-master: the cluster-state store its options choose (<see cref="ClusterSetup"/>: the local
/// SQLite store, an etcd member it runs, or an external etcd), its part in the leader election, the application
/// services, and the HTTP surface (<c>/api/v1</c>, forwarded to the leader by a follower; the worker and master gRPC
/// services; <c>/status</c>, <c>/metrics</c>) on <c>master-addr</c>, https with client certificates when it has TLS keys.
/// </summary>
public sealed class MasterHost : IAsyncDisposable
{
    public const string Version = "v8.5.0-dmsharp";

    /// <summary>How long a master alone on its local store may take to lead before it gives up starting.</summary>
    private static readonly TimeSpan LocalElectionLimit = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;
    private readonly IClusterStore _store;
    private readonly MasterElection _election;
    private readonly EtcdMemberProcess? _member;

    private MasterHost(WebApplication app, IClusterStore store, MasterElection election, EtcdMemberProcess? member)
    {
        _app = app;
        _store = store;
        _election = election;
        _member = member;
    }

    public static async Task<MasterHost> StartAsync(MasterOptions options, CancellationToken ct = default)
    {
        var setup = ClusterSetup.From(options);
        var tls = LoadTls(options);
        // The data dir holds the cluster state, the join secret and an etcd member's data: the owner's alone when made here.
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(setup.DataDir);
        else Directory.CreateDirectory(setup.DataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var endpoint = ListenAddress.Parse(options.MasterAddr);
        using var startLogs = LoggerFactory.Create(b => ConfigureLogging(b, options));
        var (store, member) = await OpenStoreAsync(setup, options, tls, startLogs.CreateLogger<MasterHost>(), ct);
        try
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
            ConfigureLogging(builder.Logging, options);
            ILogger tlsLog = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.Listen(endpoint, listen =>
                {
                    if (tls == null) return;
                    listen.UseHttps((_, _, identity, _) => ValueTask.FromResult(((TlsIdentity)identity!).ServerOptions(
                        refusal => tlsLog.LogWarning("TLS client refused: {Refusal}", refusal))), tls);
                });
                k.Limits.MaxRequestBodySize = ApiRequest.MaxBodyBytes;
                k.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
            });

            var metrics = new MetricsRegistry();
            var services = builder.Services;
            services.AddSingleton(options);
            services.AddSingleton(setup);
            services.AddSingleton(new ProcessTls(tls));
            // The leader's writes are guarded by its election key; what a master writes for itself is not (MasterStores).
            services.AddKeyedSingleton<IClusterStore>(MasterStores.Unguarded, store);
            // Writes of secrets (sources, tasks, templates) compact history up to them: no old password stays readable.
            services.AddSingleton<IClusterStore>(sp => new LeaderGuardedStore(
                new SecretHistoryCompactor(store, MasterKeys.SecretPrefixes, e => sp.GetRequiredService<ILogger<MasterHost>>()
                    .LogWarning("compaction after a write of secrets failed (the store's auto-compaction drops them later): {Error}", e.Message)),
                () => sp.GetRequiredService<MasterElection>().Leadership));
            services.AddSingleton(metrics);
            services.AddSingleton(new MasterGate());
            services.AddSingleton(await PasswordCipher.LoadAsync(options.SecretKeyPath, ct));
            services.AddSingleton<MasterState>();
            services.AddSingleton<ClusterService>();
            services.AddSingleton<SourceService>();
            services.AddSingleton<TaskCompiler>();
            services.AddSingleton<TaskService>();
            services.AddSingleton<TemplateService>();
            services.AddSingleton<TaskUpstreamView>();
            services.AddSingleton<TableStructureService>();
            services.AddSingleton<WorkerQueryClient>();
            services.AddSingleton<BinlogErrorService>();
            services.AddSingleton<TaskConversion>();
            services.AddSingleton<TaskCheckService>();
            services.AddSingleton<WorkerLeases>();
            services.AddSingleton<JoinSecret>();
            services.AddSingleton<WorkerStatusBoard>();
            services.AddSingleton<ShardDdl.OptimisticLocks>();
            services.AddSingleton<ShardDdl.ShardDdlLocks>();
            services.AddSingleton<ShardDdl.ShardDdlLockService>();
            services.AddSingleton<DesiredStateReader>();
            services.AddSingleton<MasterElection>();
            services.AddSingleton<ILeaderTerms>(sp => sp.GetRequiredService<MasterElection>());
            services.AddSingleton<SourceScheduler>();
            services.AddHostedService(sp => sp.GetRequiredService<SourceScheduler>());
            services.AddSingleton<LeaderForwarding>();
            services.AddSingleton<ApiRequestPolicy>();
            services.AddHttpForwarder();
            services.AddGrpc();

            var app = builder.Build();
            var provider = app.Services;
            tlsLog = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Dm.Master.Tls");
            var cluster = provider.GetRequiredService<ClusterService>();
            var election = provider.GetRequiredService<MasterElection>();
            string? document = null;
            MasterServices? api = null;
            api = new MasterServices(cluster, provider.GetRequiredService<SourceService>(), provider.GetRequiredService<TaskService>(),
                provider.GetRequiredService<TaskUpstreamView>(), provider.GetRequiredService<TableStructureService>(),
                provider.GetRequiredService<TaskConversion>(), provider.GetRequiredService<TemplateService>(),
                provider.GetRequiredService<BinlogErrorService>(), provider.GetRequiredService<ShardDdl.ShardDdlLockService>(), provider.GetRequiredService<TaskCheckService>(),
                provider.GetRequiredService<PasswordCipher>(), provider.GetRequiredService<JoinSecret>(), options,
                () => document ??= BuildDocument(ApiCatalog.All(api!)));
            // Host, Origin and Content-Type are checked first (on a follower too), then a follower hands /api/v1 to the leader.
            app.Use(provider.GetRequiredService<ApiRequestPolicy>().InvokeAsync);
            app.Use(provider.GetRequiredService<LeaderForwarding>().InvokeAsync);
            // Workers and joining masters reach the master over gRPC-Web: HTTP/1.1 on this same port, beside the OpenAPI.
            app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
            app.MapGrpcService<WorkerHubService>();
            app.MapGrpcService<MasterPeerService>();
            LeaderOperations.Map(app, election);

            app.MapGet("/status", () => Results.Text($"Release Version: {Version}\nGit Commit Hash: -\nGo Version: -\nUTC Build Time: -\n"));
            app.MapGet("/metrics", () => Results.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"));
            metrics.Observe("dm_master_start_time", "unix time when this master started", () => StartTime);
            if (options.OpenApi) ApiRouter.Map(app, ApiCatalog.All(api), ApiJson.Options, metrics);

            await election.StartAsync(ct);
            // Alone on its local store, the master leads at once: it answers the API from its first request on. In a
            // cluster it serves first, as its peers need it to (a new cluster has no quorum until enough masters run),
            // and forwards or answers 503 until a leader is elected.
            if (setup.Kind == ClusterStateKind.Local) await election.WaitForTermAsync(ct).WaitAsync(LocalElectionLimit, ct);
            await app.StartAsync(ct);
            app.Logger.LogInformation("dm-master {Name} listening on {Address}, data in {DataDir}, cluster state {Kind}", options.Name, endpoint,
                setup.DataDir, setup.Kind switch
                {
                    ClusterStateKind.Local => "in the local store " + setup.LocalStoreFile,
                    ClusterStateKind.EtcdMember => "in an etcd member at " + member!.ClientUrl,
                    _ => "in etcd at " + string.Join(',', setup.EtcdEndpoints),
                });
            return new MasterHost(app, store, election, member);
        }
        catch
        {
            await store.DisposeAsync();
            if (member != null) await member.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The master's TLS, checked at start: refused, naming the keys, when the files cannot be used. In a cluster the same keys
    /// serve between masters and to etcd (what the cluster setup cannot honour with them, <see cref="ClusterSetup"/> refuses).
    /// </summary>
    private static TlsIdentity? LoadTls(MasterOptions options) => options.Tls.Any ? ProcessTls.LoadServer(options.Tls).Identity : null;

    /// <param name="tls">the master's TLS: etcd is reached over TLS with its certificate (see <see cref="OpenEtcd"/>).</param>
    private static async Task<(IClusterStore Store, EtcdMemberProcess? Member)> OpenStoreAsync(ClusterSetup setup, MasterOptions options, TlsIdentity? tls,
        ILogger logger, CancellationToken ct)
    {
        switch (setup.Kind)
        {
            case ClusterStateKind.Local:
                try
                {
                    return (SqliteClusterStore.Open(setup.DataDir), null);
                }
                catch (DataDirInUseException e)
                {
                    throw new ProcessConfigException(e.Message);
                }
            case ClusterStateKind.ExternalEtcd:
                return (OpenEtcd(setup.EtcdEndpoints, tls?.ClientOptions()), null);
            default:
                // A member that ran before keeps its membership in its data dir; only a new one needs the initial cluster.
                var initialCluster = setup.MemberInitialised
                    ? (string.Join(',', setup.AdvertisePeerUrls.Select(u => $"{options.Name}={u}")), "existing")
                    : setup.Initial is { } initial
                        ? (initial.ToString(), setup.InitialClusterState)
                        : (await ClusterJoin.JoinAsync(setup, options, tls, logger, ct), "existing");
                var member = EtcdMemberProcess.Start(setup, options, initialCluster, logger);
                return (OpenEtcd([member.ClientUrl], tls?.OwnServerClientOptions()), member);
        }
    }

    /// <summary>
    /// The etcd store, over TLS when the master has TLS keys: the master presents its own certificate (ssl-cert/ssl-key) and
    /// accepts an external etcd's certificate when ssl-ca issued it for the host dialled, or its own member's when it is the
    /// master's own certificate (the member serves it on loopback).
    /// </summary>
    private static EtcdClusterStore OpenEtcd(IReadOnlyList<string> endpoints, System.Net.Security.SslClientAuthenticationOptions? tls)
    {
        try
        {
            return EtcdClusterStore.Open(new EtcdClusterStoreOptions { Endpoints = endpoints, Tls = tls });
        }
        catch (ArgumentException e)
        {
            throw new ProcessConfigException(e.Message);
        }
    }

    private static void ConfigureLogging(ILoggingBuilder logging, MasterOptions options)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffzzz ";
            o.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        logging.SetMinimumLevel(ParseLevel(options.LogLevel));
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // YARP reports a leader it cannot reach with a stack trace; LeaderForwarding logs it in one line.
        logging.AddFilter("Yarp", LogLevel.Error);
    }

    private static readonly double StartTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    private static string BuildDocument(IReadOnlyList<ApiOperation> operations)
    {
        var builder = new OpenApiDocumentBuilder(ApiJson.Options, ApiSchemaNames.Of);
        JsonObject doc = builder.Build(operations, "DM OpenAPI Spec", "1.0.0", ApiSchemaNames.All());
        return doc.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    private static LogLevel ParseLevel(string level) => level.ToLowerInvariant() switch
    {
        "debug" => LogLevel.Debug,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "fatal" => LogLevel.Critical,
        _ => LogLevel.Information,
    };

    public async ValueTask DisposeAsync()
    {
        // The election first: a leader ends its session, so another master leads at once, not after election-ttl.
        await _election.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        await _store.DisposeAsync();
        if (_member != null) await _member.DisposeAsync();
    }
}
