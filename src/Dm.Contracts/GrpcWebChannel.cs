using System.Net;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;

namespace Dm.Contracts;

/// <summary>
/// A channel to a DM# process's client port (<c>host:port</c> or a URL) as its gRPC services are carried: gRPC-Web over
/// HTTP/1.1, a connection attempt bounded at 5 s. Used by workers to reach masters, masters to reach workers and each other.
/// Answers are not limited to gRPC's default 4 MB: a worker's desired state holds every task of its source, each as large
/// as the API accepts (<see cref="MaxAnswerBytes"/>).
/// </summary>
public static class GrpcWebChannel
{
    /// <summary>The largest answer a channel takes: room for hundreds of tasks at the API's 8 MB body limit.</summary>
    public const int MaxAnswerBytes = 1 << 30;

    public static GrpcChannel Open(string address) => GrpcChannel.ForAddress(Url(address), new GrpcChannelOptions
    {
        HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) }),
        HttpVersion = HttpVersion.Version11,
        MaxReceiveMessageSize = MaxAnswerBytes,
    });

    /// <summary>An http:// URL for a <c>host:port</c> address; a URL is kept as given.</summary>
    public static string Url(string address) =>
        address.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || address.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? address
            : "http://" + address;
}
