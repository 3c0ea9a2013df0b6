using Dm.Core.CommandLine;
using Dm.Core.Metrics;
using Dm.Core.Tls;
using Dm.Worker.Control;
using Dm.Worker.Query;
using Microsoft.Extensions.Logging.Console;

namespace Dm.Worker.Hosting;

/// <summary>
/// Composes one dm-worker: the agent that talks to the masters, the subtasks and the relay log it runs, and /status,
/// /metrics and the query service on worker-addr (https with client certificates when it has TLS keys).
/// </summary>
public static class WorkerHost
{
    public static async Task<WebApplication> StartAsync(WorkerOptions options, CancellationToken ct = default)
    {
        var endpoint = ListenAddress.Parse(options.WorkerAddr);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffzzz ";
            o.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        var tls = ProcessTls.LoadServer(options.Tls);
        ILogger tlsLog = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        builder.WebHost.ConfigureKestrel(k => k.Listen(endpoint, listen =>
        {
            // With TLS keys only callers with a certificate of ssl-ca and an allowed common name (the masters) are served.
            if (tls.Identity == null) return;
            listen.UseHttps((_, _, identity, _) => ValueTask.FromResult(((TlsIdentity)identity!).ServerOptions(
                refusal => tlsLog.LogWarning("TLS client refused: {Refusal}", refusal))), tls.Identity);
        }));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(tls);
        builder.Services.AddSingleton(new JoinSecretSource(options));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AssignmentBoard>();
        builder.Services.AddSingleton<Dump.DumpFileRegistry>();
        builder.Services.AddSingleton<ShardDdlMailbox>();
        builder.Services.AddSingleton(sp => new Subtasks.SubtaskSupervisor(sp.GetRequiredService<AssignmentBoard>(), options,
            sp.GetRequiredService<Dump.DumpFileRegistry>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<Relay.RelayService>(),
            sp.GetRequiredService<ShardDdlMailbox>()));
        builder.Services.AddSingleton<ISubtaskReporter>(sp => sp.GetRequiredService<Subtasks.SubtaskSupervisor>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Subtasks.SubtaskSupervisor>());
        builder.Services.AddSingleton<Relay.RelayService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Relay.RelayService>());
        builder.Services.AddHostedService<WorkerAgent>();
        builder.Services.AddWorkerQuery();

        var app = builder.Build();
        tlsLog = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Dm.Worker.Tls");
        app.MapWorkerQuery();
        var board = app.Services.GetRequiredService<AssignmentBoard>();
        var metrics = new MetricsRegistry();
        var supervisor = app.Services.GetRequiredService<Subtasks.SubtaskSupervisor>();
        metrics.Observe("dm_worker_bound", "1 when a source is bound to this worker", () => board.Current.BoundSource.Length > 0 ? 1 : 0);
        foreach (var stage in new[] { "Running", "Paused", "Finished", "Stopped" })
            metrics.Observe("dm_worker_subtasks", "subtasks of this worker by stage",
                () => supervisor.Statuses().Count(s => s.Stage.ToString() == stage), ("stage", stage));
        app.MapGet("/metrics", () => Results.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"));
        app.MapGet("/status", () => Results.Text(
            $"Release Version: v8.5.0-dmsharp\nWorker: {options.Name}\nBound source: {(board.Current.BoundSource is { Length: > 0 } s ? s : "(none)")}\n"));
        await app.StartAsync(ct);
        app.Logger.LogInformation("dm-worker {Name} listening on {Address}, joining {Masters}", options.Name, endpoint, options.Join);
        return app;
    }
}
