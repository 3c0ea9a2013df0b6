using System.Globalization;

namespace Dm.ClusterState.Etcd;

/// <summary>
/// One etcd client URL, as etcd's <c>--advertise-client-urls</c> gives it: <c>http://host:port</c>, plain
/// <c>host:port</c>, or <c>https://host:port</c> for a member serving TLS (<see cref="Secure"/>; the store then needs
/// <see cref="EtcdClusterStoreOptions.Tls"/>). Unix sockets are refused.
/// </summary>
public sealed record EtcdEndpoint(string Host, int Port, bool Secure = false)
{
    public override string ToString() => $"{(Secure ? "https" : "http")}://{(Host.Contains(':') ? $"[{Host}]" : Host)}:{Port}";

    /// <exception cref="ArgumentException">the text is not an http(s) URL or host:port.</exception>
    public static EtcdEndpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        string withScheme = trimmed.Contains("://", StringComparison.Ordinal) ? trimmed : "http://" + trimmed;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"etcd endpoint '{text}' is not an http://host:port or https://host:port URL", nameof(text));
        if (uri.IsDefaultPort && !HasExplicitPort(withScheme))
            throw new ArgumentException($"etcd endpoint '{text}' has no port (etcd's client port is usually 2379)", nameof(text));
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            throw new ArgumentException($"etcd endpoint '{text}' must be only scheme, host and port", nameof(text));
        return new EtcdEndpoint(uri.IdnHost.Trim('[', ']'), uri.Port, uri.Scheme == Uri.UriSchemeHttps);
    }

    // Uri reports port 80 for "http://host" and for "http://host:80" alike.
    private static bool HasExplicitPort(string url)
    {
        string authority = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/');
        int colon = authority.LastIndexOf(':');
        return colon > authority.LastIndexOf(']') && int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }
}
