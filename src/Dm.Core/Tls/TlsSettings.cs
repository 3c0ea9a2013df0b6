namespace Dm.Core.Tls;

/// <summary>
/// DM's TLS keys of a process (<c>ssl-ca</c>, <c>ssl-cert</c>, <c>ssl-key</c>, <c>cert-allowed-cn</c> of master.toml and
/// worker.toml, dmctl's <c>--ssl-*</c> flags): file paths, and the common names a client certificate may have. All empty:
/// no TLS. <see cref="TlsIdentity.Load"/> reads and checks them.
/// </summary>
public sealed record TlsSettings
{
    public string SslCa { get; init; } = "";
    public string SslCert { get; init; } = "";
    public string SslKey { get; init; } = "";
    public IReadOnlyList<string> CertAllowedCn { get; init; } = [];

    /// <summary>True when any key is given.</summary>
    public bool Any => SslCa.Length > 0 || SslCert.Length > 0 || SslKey.Length > 0 || CertAllowedCn.Count > 0;

    /// <summary>A comma-separated list (a flag), or a TOML array already joined with commas.</summary>
    public static IReadOnlyList<string> ParseNames(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
