using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Dm.Core.Api;
using Dm.Contracts;
using Dm.Worker.Query;
using Dm.Worker.Sync;
using Dm.TestKit;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;

namespace Dm.Worker.Tests.Query;

/// <summary>
/// The worker's query service on a real Kestrel port, reached by a gRPC-Web client as the master reaches it.
/// What the worker "runs" (bound source, subtasks with their current unit and Sync controls) is set by the test.
/// </summary>
public sealed class QueryServiceHost : IAsyncLifetime
{
    private WebApplication _app = null!;
    private GrpcChannel _channel = null!;

    public string BoundSource { get; set; } = "";
    public ConcurrentDictionary<string, (string Unit, ISyncControl? Control)> Subtasks { get; } = new();
    public WorkerQuery.WorkerQueryClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(new SyncControlLocator(
            () => BoundSource,
            () => Subtasks.Select(s => new SubTaskStatus
            {
                Name = s.Key, SourceName = BoundSource, Stage = TaskStage.Running, Unit = s.Value.Unit, WorkerName = "test-worker",
            }).ToList(),
            task => Subtasks.TryGetValue(task, out var s) ? s.Control : null));
        // A worker that pulls no relay log (its desired state names none).
        builder.Services.AddSingleton(new Dm.Worker.Relay.RelayService(new Dm.Worker.Control.AssignmentBoard(), new Dm.Worker.Hosting.WorkerOptions(),
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
        _app = builder.Build();
        _app.MapWorkerQuery();
        await _app.StartAsync();
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}", new GrpcChannelOptions
        {
            HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, new SocketsHttpHandler()),
            HttpVersion = HttpVersion.Version11,
        });
        Client = new WorkerQuery.WorkerQueryClient(_channel);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _app.DisposeAsync();
    }
}
