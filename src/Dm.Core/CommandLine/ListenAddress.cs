using System.Net;

namespace Dm.Core.CommandLine;

/// <summary>Parses DM's listen addresses: <c>host:port</c>, <c>:port</c>, <c>[::1]:port</c>, optionally with <c>http://</c>.</summary>
public static class ListenAddress
{
    public static IPEndPoint Parse(string address)
    {
        var text = address.Trim();
        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) text = text[7..];
        text = text.TrimEnd('/');
        var colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text[(colon + 1)..], out var port) || port is < 0 or > 65535)
            throw new ProcessConfigException($"invalid address \"{address}\": expected host:port");
        var host = text[..colon].Trim('[', ']');
        if (host is "" or "0.0.0.0") return new IPEndPoint(IPAddress.Any, port);
        if (host == "::") return new IPEndPoint(IPAddress.IPv6Any, port);
        if (host == "localhost") return new IPEndPoint(IPAddress.Loopback, port);
        if (IPAddress.TryParse(host, out var ip)) return new IPEndPoint(ip, port);
        var resolved = Dns.GetHostAddresses(host).FirstOrDefault()
                       ?? throw new ProcessConfigException($"cannot resolve host \"{host}\" of address \"{address}\"");
        return new IPEndPoint(resolved, port);
    }
}
