using System.Net;
using Dm.Contracts;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;

namespace Dm.Worker.Control;

/// <summary>
/// The worker's connection to the masters of its <c>join</c> list: gRPC-Web over HTTP/1.1 to the masters'
/// client port. When the current master fails, the next one in the list is tried.
/// </summary>
public sealed class MasterChannel(IReadOnlyList<string> masters) : IDisposable
{
    private int _current;
    private GrpcChannel? _channel;

    public string CurrentMaster => masters[_current % masters.Count];

    public WorkerHub.WorkerHubClient Client
    {
        get
        {
            _channel ??= GrpcChannel.ForAddress(Url(CurrentMaster), new GrpcChannelOptions
            {
                HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) }),
                HttpVersion = HttpVersion.Version11,
            });
            return new WorkerHub.WorkerHubClient(_channel);
        }
    }

    /// <summary>Moves to the next master of the list (after a failure of the current one).</summary>
    public void Next()
    {
        _channel?.Dispose();
        _channel = null;
        _current++;
    }

    private static string Url(string address) =>
        address.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || address.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? address
            : "http://" + address;

    public void Dispose() => _channel?.Dispose();
}
