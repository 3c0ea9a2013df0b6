using System.Collections.Concurrent;
using Dm.Contracts;
using Dm.Core.Errors;
using Dm.Core.Tls;
using Dm.Master.Cluster;
using Dm.Master.Hosting;
using Dm.Master.State;
using Grpc.Core;
using Grpc.Net.Client;

namespace Dm.Master.Workers;

/// <summary>
/// Calls the query service of the worker a source is bound to (gRPC-Web to the address it registered),
/// each call bounded by the master's rpc-timeout and carrying the join secret. A worker's DM error comes back as the same
/// <see cref="DmException"/>; an unreachable or silent worker is DM's 38008 grpc request error.
/// </summary>
public sealed class WorkerQueryClient(MasterState state, MasterOptions options, JoinSecret secret, ProcessTls tls) : IDisposable
{
    private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new(StringComparer.Ordinal);

    /// <summary>The worker bound to <paramref name="source"/> and a client for it; DM's 40070 / 38021 when there is none.</summary>
    public async Task<(string Worker, WorkerQuery.WorkerQueryClient Client)> ConnectAsync(string source, CancellationToken ct)
    {
        if (!(await state.BoundsAsync(ct)).TryGetValue(source, out var worker)) throw DmErrors.ErrWorkerNoStart.New();
        return (worker, await ConnectWorkerAsync(worker, source, ct));
    }

    /// <summary>A client for <paramref name="worker"/> (one serving <paramref name="source"/>); DM's 38021 when it is offline.</summary>
    public async Task<WorkerQuery.WorkerQueryClient> ConnectWorkerAsync(string worker, string source, CancellationToken ct)
    {
        var view = (await WorkerDirectory.ReadAsync(state.Store, ct)).FirstOrDefault(w => w.Name == worker);
        if (view == null || view.Stage == WorkerDirectory.Offline) throw DmErrors.ErrMasterWorkerCliNotFound.New(source);
        var channel = _channels.GetOrAdd(view.Address, address => GrpcWebChannel.Open(address, tls.Identity));
        return new WorkerQuery.WorkerQueryClient(channel);
    }

    /// <summary>Call options with DM's per-request rpc-timeout and the cluster's join secret (the worker serves no one else).</summary>
    public CallOptions Options(CancellationToken ct) =>
        new(WorkerChannelAuth.Headers(secret.Current), DateTime.UtcNow + options.RpcTimeout, ct);

    /// <summary>Runs one call; transport failures become 38008, a reply's error becomes its DM exception.</summary>
    public static async Task<T> CallAsync<T>(string source, Func<AsyncUnaryCall<T>> call, Func<T, QueryError?> error)
    {
        T reply;
        try
        {
            reply = await call();
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            var detail = e.StatusCode == StatusCode.DeadlineExceeded
                ? $"the worker of source {source} did not answer within the rpc-timeout"
                : $"cannot reach the worker of source {source}: {e.Status.Detail}";
            throw DmErrors.ErrMasterGRPCRequestError.Wrap(new IOException(detail, e));
        }
        if (error(reply) is { } failed) throw Raise(failed);
        return reply;
    }

    /// <summary>The worker's DM error again, with its code, message and cause as the worker rendered them.</summary>
    public static DmException Raise(QueryError error)
    {
        var entry = DmErrors.ByCode(error.Code) ?? DmErrors.ErrMasterOperRespNotSuccess;
        return entry.WithMessage(error.Message, error.Cause.Length > 0 ? new WorkerCause(error.Cause) : null);
    }

    public void Dispose()
    {
        foreach (var channel in _channels.Values) channel.Dispose();
    }

    /// <summary>The text of a cause the worker reported (its type stayed on the worker).</summary>
    private sealed class WorkerCause(string message) : Exception(message);
}
