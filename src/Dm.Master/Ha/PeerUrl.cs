using Dm.Core.CommandLine;

namespace Dm.Master.Ha;

/// <summary>
/// An etcd peer URL of a master (<c>http://host:port</c>, <c>https://host:port</c>). With TLS keys the members talk TLS to
/// each other, so an http:// URL is turned into https:// as DM's master does (its WrapSchemes); without them an https:// URL
/// cannot be served and is refused.
/// </summary>
public static class PeerUrl
{
    /// <summary>The URL as given (https:// with <paramref name="tls"/>), checked; <paramref name="setting"/> names the flag it came from.</summary>
    /// <exception cref="ProcessConfigException">not an http(s) URL with a host and a port, or https:// without TLS keys.</exception>
    public static string Parse(string setting, string text, bool tls)
    {
        var trimmed = text.Trim().TrimEnd('/');
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.AbsolutePath != "/" || !trimmed.AsSpan(trimmed.IndexOf("://", StringComparison.Ordinal) + 3).Contains(':'))
            throw new ProcessConfigException($"{setting} \"{text}\" is not an http://host:port URL");
        if (uri.Scheme == Uri.UriSchemeHttps && !tls)
            throw new ProcessConfigException(
                $"{setting} \"{text}\" is https: TLS between masters needs ssl-ca, ssl-cert and ssl-key (the etcd members use that certificate)");
        return tls && uri.Scheme == Uri.UriSchemeHttp ? "https" + trimmed[4..] : trimmed;
    }

    /// <summary>A comma-separated list of peer URLs.</summary>
    public static IReadOnlyList<string> ParseList(string setting, string text, bool tls)
    {
        var urls = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(u => Parse(setting, u, tls)).ToList();
        return urls.Count > 0 ? urls : throw new ProcessConfigException($"{setting} is empty");
    }
}
