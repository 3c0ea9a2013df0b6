using Dm.Contracts;
using Dm.Core.Tls;
using Grpc.Net.Client;

namespace Dm.Worker.Control;

/// <summary>
/// The worker's connection to the masters of its <c>join</c> list: gRPC-Web over HTTP/1.1 to the masters' client port.
/// With TLS keys it is https, presenting this worker's certificate. A master that is not the leader names the leader, which is called next (<see cref="RedirectTo"/>); when the current
/// master fails, the next one in the list is tried.
/// </summary>
public sealed class MasterChannel(IReadOnlyList<string> masters, TlsIdentity? tls = null) : IDisposable
{
    private int _current;
    private string? _leader;
    private GrpcChannel? _channel;

    /// <summary>The master called now: the leader a master named, else the current one of the list.</summary>
    public string CurrentMaster => _leader ?? masters[_current % masters.Count];

    public WorkerHub.WorkerHubClient Client => new(_channel ??= GrpcWebChannel.Open(CurrentMaster, tls));

    /// <summary>Moves to the next master of the list (after a failure of the current one, or of the leader named).</summary>
    public void Next()
    {
        Close();
        if (_leader != null) _leader = null;
        else _current++;
    }

    /// <summary>Calls the leader at <paramref name="leaderAddress"/> from now on (a follower named it).</summary>
    public void RedirectTo(string leaderAddress)
    {
        Close();
        _leader = leaderAddress;
    }

    private void Close()
    {
        _channel?.Dispose();
        _channel = null;
    }

    public void Dispose() => _channel?.Dispose();
}
