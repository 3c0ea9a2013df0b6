using System.Net;
using Dm.Core.Tls;
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

    /// <param name="address"><c>host:port</c> or a URL.</param>
    /// <param name="tls">this process's TLS: the channel is https, presents its certificate and accepts only a server certificate
    /// its CA issued for the host dialled; null for plain http.</param>
    public static GrpcChannel Open(string address, TlsIdentity? tls = null)
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) };
        if (tls != null) handler.SslOptions = tls.ClientOptions();
        return GrpcChannel.ForAddress(Url(address, tls != null), new GrpcChannelOptions
        {
            HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, handler),
            HttpVersion = HttpVersion.Version11,
            MaxReceiveMessageSize = MaxAnswerBytes,
        });
    }

    /// <summary>An http:// (https:// with TLS) URL for a <c>host:port</c> address; a URL is kept as given.</summary>
    public static string Url(string address, bool tls = false) =>
        address.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || address.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? address
            : (tls ? "https://" : "http://") + address;
}
