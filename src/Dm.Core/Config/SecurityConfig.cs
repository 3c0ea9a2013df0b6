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
