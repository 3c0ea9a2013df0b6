using System.Globalization;

namespace Dm.ClusterState.Etcd;

/// <summary>
/// One etcd client URL, as etcd's <c>--advertise-client-urls</c> gives it: <c>http://host:port</c> or plain
/// <c>host:port</c>. TLS (<c>https://</c>) is refused until the store supports it, rather than dialled in clear.
/// </summary>
public sealed record EtcdEndpoint(string Host, int Port)
{
    public override string ToString() => $"http://{(Host.Contains(':') ? $"[{Host}]" : Host)}:{Port}";

    /// <exception cref="ArgumentException">the text is not an http URL or host:port, or asks for TLS.</exception>
    public static EtcdEndpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        if (trimmed.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("unixs://", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"etcd endpoint '{text}': TLS to etcd is not supported yet; give an http:// endpoint", nameof(text));
        string withScheme = trimmed.Contains("://", StringComparison.Ordinal) ? trimmed : "http://" + trimmed;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
            throw new ArgumentException($"etcd endpoint '{text}' is not an http://host:port URL", nameof(text));
        if (uri.IsDefaultPort && !HasExplicitPort(withScheme))
            throw new ArgumentException($"etcd endpoint '{text}' has no port (etcd's client port is usually 2379)", nameof(text));
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            throw new ArgumentException($"etcd endpoint '{text}' must be only scheme, host and port", nameof(text));
        return new EtcdEndpoint(uri.IdnHost.Trim('[', ']'), uri.Port);
    }

    // Uri reports port 80 for "http://host" and for "http://host:80" alike.
    private static bool HasExplicitPort(string url)
    {
        string authority = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/');
        int colon = authority.LastIndexOf(':');
        return colon > authority.LastIndexOf(']') && int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }
}
