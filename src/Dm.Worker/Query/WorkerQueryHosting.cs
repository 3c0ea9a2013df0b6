using Dm.Worker.Control;
using Dm.Worker.Subtasks;
using Grpc.AspNetCore.Web;

namespace Dm.Worker.Query;

/// <summary>
/// Puts the query service on the worker's port, as gRPC-Web over HTTP/1.1 beside /status and /metrics, serving only calls that
/// carry the cluster's join secret (a <see cref="JoinSecretSource"/> must be registered).
/// </summary>
public static class WorkerQueryHosting
{
    public static IServiceCollection AddWorkerQuery(this IServiceCollection services)
    {
        services.AddGrpc(o => o.Interceptors.Add<JoinSecretSource.Interceptor>());
        services.AddSingleton(sp =>
        {
            var board = sp.GetRequiredService<AssignmentBoard>();
            var supervisor = sp.GetRequiredService<SubtaskSupervisor>();
            return new SyncControlLocator(() => board.Current.BoundSource, supervisor.Statuses, supervisor.FindSyncControl);
        });
        return services;
    }

    public static WebApplication MapWorkerQuery(this WebApplication app)
    {
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        app.MapGrpcService<WorkerQueryService>();
        return app;
    }
}
