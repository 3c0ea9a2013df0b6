using System.Text.Json.Nodes;
using Dm.ClusterState;
using Dm.ClusterState.Sqlite;
using Dm.Core.Api;
using Dm.Core.CommandLine;
using Dm.Core.Metrics;
using Dm.Master.Api;
using Dm.Master.Cluster;
using Dm.Master.OpenApi;
using Dm.Master.Sources;
using Dm.Master.State;
using Dm.Master.Tasks;
using Dm.Master.Workers;
using Grpc.AspNetCore.Web;
using Microsoft.Extensions.Logging.Console;

namespace Dm.Master.Hosting;

/// <summary>
/// Composes and runs one dm-master: the cluster-state store in the data dir, the application services,
/// and the HTTP surface (<c>/api/v1</c>, <c>/status</c>, <c>/metrics</c>) on <c>master-addr</c>.
/// </summary>
public sealed class MasterHost : IAsyncDisposable
{
    public const string Version = "v8.5.0-dmsharp";

    private readonly WebApplication _app;
    private readonly IClusterStore _store;

    private MasterHost(WebApplication app, IClusterStore store)
    {
        _app = app;
        _store = store;
    }

    public static async Task<MasterHost> StartAsync(MasterOptions options, CancellationToken ct = default)
    {
        var dataDir = Path.GetFullPath(options.EffectiveDataDir);
        Directory.CreateDirectory(dataDir);
        IClusterStore store;
        try
        {
            store = SqliteClusterStore.Open(dataDir);
        }
        catch (DataDirInUseException e)
        {
            throw new ProcessConfigException(e.Message);
        }

        try
        {
            var endpoint = ListenAddress.Parse(options.MasterAddr);
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffzzz ";
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            });
            builder.Logging.SetMinimumLevel(ParseLevel(options.LogLevel));
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.Listen(endpoint);
                k.Limits.MaxRequestBodySize = ApiRequest.MaxBodyBytes;
                k.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
            });

            var metrics = new MetricsRegistry();
            var services = builder.Services;
            services.AddSingleton(options);
            services.AddSingleton<IClusterStore>(store);
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
            services.AddSingleton<WorkerStatusBoard>();
            services.AddSingleton<DesiredStateReader>();
            services.AddSingleton<SourceScheduler>();
            services.AddHostedService(sp => sp.GetRequiredService<SourceScheduler>());
            services.AddGrpc();

            var app = builder.Build();
            var provider = app.Services;
            var cluster = provider.GetRequiredService<ClusterService>();
            string? document = null;
            MasterServices? api = null;
            api = new MasterServices(cluster, provider.GetRequiredService<SourceService>(), provider.GetRequiredService<TaskService>(),
                provider.GetRequiredService<TaskUpstreamView>(), provider.GetRequiredService<TableStructureService>(),
                provider.GetRequiredService<TaskConversion>(), provider.GetRequiredService<TemplateService>(),
                provider.GetRequiredService<BinlogErrorService>(), provider.GetRequiredService<TaskCheckService>(),
                provider.GetRequiredService<PasswordCipher>(), options,
                () => document ??= BuildDocument(ApiCatalog.All(api!)));
            // Workers reach the master over gRPC-Web: HTTP/1.1 on this same port, beside the OpenAPI.
            app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
            app.MapGrpcService<WorkerHubService>();

            app.MapGet("/status", () => Results.Text($"Release Version: {Version}\nGit Commit Hash: -\nGo Version: -\nUTC Build Time: -\n"));
            app.MapGet("/metrics", () => Results.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"));
            metrics.Observe("dm_master_start_time", "unix time when this master started", () => StartTime);
            if (options.OpenApi) ApiRouter.Map(app, ApiCatalog.All(api), ApiJson.Options, metrics);

            await cluster.InitialiseAsync(ct);
            await app.StartAsync(ct);
            app.Logger.LogInformation("dm-master {Name} listening on {Address}, data in {DataDir}", options.Name, endpoint, dataDir);
            return new MasterHost(app, store);
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
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
        await _app.DisposeAsync();
        await _store.DisposeAsync();
    }
}
