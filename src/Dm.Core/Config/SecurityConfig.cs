using Dm.Core.Config.Yaml;

namespace Dm.Core.Config;

/// <summary>TLS settings: file paths, inline PEM contents, or base64 contents (DM's security.Security).</summary>
public sealed class SecurityConfig
{
    public string SslCa { get; set; } = "";
    public string SslCert { get; set; } = "";
    public string SslKey { get; set; } = "";
    public List<string> CertAllowedCn { get; set; } = [];
    /// <summary>PEM contents (what the OpenAPI sends as ssl_*_content).</summary>
    public string SslCaBytes { get; set; } = "";
    public string SslKeyBytes { get; set; } = "";
    public string SslCertBytes { get; set; } = "";
    public string SslCaBase64 { get; set; } = "";
    public string SslKeyBase64 { get; set; } = "";
    public string SslCertBase64 { get; set; } = "";

    /// <summary>The CA as PEM: <see cref="SslCaBytes"/>, else <see cref="SslCaBase64"/> decoded, else the file <see cref="SslCa"/>; null when none.</summary>
    /// <exception cref="Errors.DmException">DM's 11112 naming the key, for a file that cannot be read or base64 that is not.</exception>
    public string? CaPem() => Pem(SslCaBytes, SslCaBase64, SslCa, "ssl-ca");

    /// <inheritdoc cref="CaPem"/>
    public string? CertPem() => Pem(SslCertBytes, SslCertBase64, SslCert, "ssl-cert");

    /// <inheritdoc cref="CaPem"/>
    public string? KeyPem() => Pem(SslKeyBytes, SslKeyBase64, SslKey, "ssl-key");

    private static string? Pem(string content, string base64, string path, string key)
    {
        if (content.Length > 0) return content;
        if (base64.Length > 0)
        {
            try
            {
                return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            }
            catch (FormatException e)
            {
                throw Errors.DmErrors.ErrConnInvalidTLSConfig.Wrap(new FormatException($"{key}-base64 is not base64: {e.Message}", e));
            }
        }
        if (path.Length == 0) return null;
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw Errors.DmErrors.ErrConnInvalidTLSConfig.Wrap(new IOException($"cannot read {key} file {path}: {e.Message}", e));
        }
    }

    public SecurityConfig Clone()
    {
        var c = (SecurityConfig)MemberwiseClone();
        c.CertAllowedCn = [.. CertAllowedCn];
        return c;
    }

    internal static SecurityConfig Read(YamlMap map)
    {
        var s = new SecurityConfig
        {
            SslCa = map.String("ssl-ca") ?? "",
            SslCert = map.String("ssl-cert") ?? "",
            SslKey = map.String("ssl-key") ?? "",
            CertAllowedCn = map.Strings("cert-allowed-cn") ?? [],
            SslCaBytes = map.String("ssl-ca-bytes") ?? "",
            SslKeyBytes = map.String("ssl-key-bytes") ?? "",
            SslCertBytes = map.String("ssl-cert-bytes") ?? "",
            SslCaBase64 = map.String("ssl-ca-base64") ?? "",
            SslKeyBase64 = map.String("ssl-key-base64") ?? "",
            SslCertBase64 = map.String("ssl-cert-base64") ?? "",
        };
        map.RejectUnknownKeys();
        return s;
    }

    internal YamlMapWriter Write() => new YamlMapWriter()
        .String("ssl-ca", SslCa).String("ssl-cert", SslCert).String("ssl-key", SslKey)
        .Strings("cert-allowed-cn", CertAllowedCn)
        .String("ssl-ca-bytes", SslCaBytes).String("ssl-key-bytes", SslKeyBytes).String("ssl-cert-bytes", SslCertBytes)
        .String("ssl-ca-base64", SslCaBase64).String("ssl-key-base64", SslKeyBase64).String("ssl-cert-base64", SslCertBase64);
}
