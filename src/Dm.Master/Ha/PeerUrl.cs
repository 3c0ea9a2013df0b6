using Dm.Core.CommandLine;

namespace Dm.Master.Ha;

/// <summary>An etcd peer URL of a master (<c>http://host:port</c>); TLS between members is not supported yet.</summary>
public static class PeerUrl
{
    /// <summary>The URL as given, checked; <paramref name="setting"/> names the flag it came from.</summary>
    /// <exception cref="ProcessConfigException">not an http URL with a host and a port.</exception>
    public static string Parse(string setting, string text)
    {
        var trimmed = text.Trim().TrimEnd('/');
        if (trimmed.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            throw new ProcessConfigException($"{setting} \"{text}\": TLS between masters is not supported yet; give an http:// URL");
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/"
            || !trimmed.AsSpan(trimmed.IndexOf("://", StringComparison.Ordinal) + 3).Contains(':'))
            throw new ProcessConfigException($"{setting} \"{text}\" is not an http://host:port URL");
        return trimmed;
    }

    /// <summary>A comma-separated list of peer URLs.</summary>
    public static IReadOnlyList<string> ParseList(string setting, string text)
    {
        var urls = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(u => Parse(setting, u)).ToList();
        return urls.Count > 0 ? urls : throw new ProcessConfigException($"{setting} is empty");
    }
}
