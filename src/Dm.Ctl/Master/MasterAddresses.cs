using Dm.Ctl.Output;

namespace Dm.Ctl.Master;

/// <summary>
/// The comma-separated <c>--master-addr</c> list as base URIs (host:port, or a full http(s) URL); host:port is https when
/// dmctl has TLS keys.
/// </summary>
public static class MasterAddresses
{
    public static IReadOnlyList<Uri> Parse(string? text, bool tls = false)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw CtlException.Usage("--master-addr not provided (or set DM_MASTER_ADDR), e.g. --master-addr 127.0.0.1:8261");
        var result = new List<Uri>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var withScheme = part.Contains("://", StringComparison.Ordinal) ? part : (tls ? "https://" : "http://") + part;
            if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Port <= 0)
                throw CtlException.Usage($"invalid master address \"{part}\": expected host:port");
            result.Add(new Uri(uri.GetLeftPart(UriPartial.Authority)));
        }
        if (result.Count == 0) throw CtlException.Usage("--master-addr is empty");
        return result;
    }
}
