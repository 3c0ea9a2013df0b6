using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Dm.Core.Tls;

/// <summary>
/// A process's TLS, loaded from its <see cref="TlsSettings"/> and checked at start: the authority its peers' certificates
/// must chain to, its own certificate and key, and the common names a client certificate may carry (any when none are
/// given). As a server it requires every client to present a certificate issued by the authority with an allowed common
/// name; as a client it presents its certificate and accepts only servers whose certificate the authority issued for the
/// host it dialled.
/// </summary>
public sealed class TlsIdentity
{
    private TlsIdentity(TlsSettings settings, CertificateAuthority authority, X509Certificate2? certificate)
    {
        Settings = settings;
        Authority = authority;
        Certificate = certificate;
    }

    /// <summary>The keys it was loaded from (file paths, e.g. for the etcd member a master runs).</summary>
    public TlsSettings Settings { get; }

    public CertificateAuthority Authority { get; }

    /// <summary>This process's certificate with its key; null for a client that only verifies servers (dmctl with ssl-ca alone).</summary>
    public X509Certificate2? Certificate { get; }

    public IReadOnlyList<string> AllowedCommonNames => Settings.CertAllowedCn;

    /// <summary>
    /// Reads and checks the files. Null when no key is given (no TLS). A server (<paramref name="server"/>) needs all of
    /// ssl-ca, ssl-cert and ssl-key; a client needs ssl-ca, and ssl-cert with ssl-key to present a certificate.
    /// </summary>
    /// <exception cref="TlsConfigException">keys that cannot be honoured, named.</exception>
    public static TlsIdentity? Load(TlsSettings settings, bool server)
    {
        if (!settings.Any) return null;
        if (settings.SslCa.Length == 0)
            throw new TlsConfigException(settings.CertAllowedCn.Count > 0 && settings.SslCert.Length == 0 && settings.SslKey.Length == 0
                ? "cert-allowed-cn needs ssl-ca, ssl-cert and ssl-key: client certificates are checked only over TLS"
                : "ssl-ca is required with ssl-cert and ssl-key: without it no peer's certificate can be verified");
        if ((settings.SslCert.Length == 0) != (settings.SslKey.Length == 0))
            throw new TlsConfigException(settings.SslCert.Length == 0 ? "ssl-key is given without ssl-cert" : "ssl-cert is given without ssl-key");
        if (server && settings.SslCert.Length == 0)
            throw new TlsConfigException("ssl-ca needs ssl-cert and ssl-key: a server must present a certificate");
        if (settings.CertAllowedCn.Any(string.IsNullOrWhiteSpace))
            throw new TlsConfigException("cert-allowed-cn holds an empty name");
        var authority = CertificateAuthority.FromPem(Read(settings.SslCa, "ssl-ca"), $"ssl-ca {settings.SslCa}");
        X509Certificate2? certificate = null;
        if (settings.SslCert.Length > 0)
            certificate = PemIdentity.Load(Read(settings.SslCert, "ssl-cert"), Read(settings.SslKey, "ssl-key"),
                $"ssl-cert {settings.SslCert} / ssl-key {settings.SslKey}");
        return new TlsIdentity(settings, authority, certificate);
    }

    private static string Read(string path, string key)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new TlsConfigException($"cannot read {key} {path}: {e.Message}", e);
        }
    }

    /// <summary>Whether a client may talk to this server: a certificate issued by the authority, with an allowed common name.</summary>
    public bool AcceptsClient(X509Certificate2? certificate, out string refusal)
    {
        refusal = "";
        if (certificate == null)
            refusal = "no client certificate";
        else if (!Authority.Issued(certificate))
            refusal = $"client certificate {certificate.Subject} is not issued by ssl-ca";
        else if (AllowedCommonNames.Count > 0 && !AllowedCommonNames.Contains(PemIdentity.CommonName(certificate), StringComparer.Ordinal))
            refusal = $"client certificate common name \"{PemIdentity.CommonName(certificate)}\" is not in cert-allowed-cn";
        return refusal.Length == 0;
    }

    /// <summary>
    /// What a server hands SslStream (Kestrel's <c>UseHttps</c> callback): its certificate, a client certificate required and
    /// checked by <see cref="AcceptsClient"/>; <paramref name="onRefused"/> hears why a client was turned away.
    /// </summary>
    public SslServerAuthenticationOptions ServerOptions(Action<string>? onRefused = null) => new()
    {
        ServerCertificate = Certificate ?? throw new InvalidOperationException("a TLS server needs its certificate"),
        ClientCertificateRequired = true,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        ApplicationProtocols = [SslApplicationProtocol.Http11],
        RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            var client = certificate == null ? null : certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            if (AcceptsClient(client, out var refusal)) return true;
            onRefused?.Invoke(refusal);
            return false;
        },
    };

    /// <summary>
    /// What a client hands SslStream (or a SocketsHttpHandler's SslOptions): its certificate when it has one, and the check
    /// that the server's certificate was issued by the authority for the host dialled.
    /// </summary>
    public SslClientAuthenticationOptions ClientOptions() => new()
    {
        ClientCertificates = Certificate == null ? null : new X509CertificateCollection { Certificate },
        // Always this certificate, whatever issuers the server names (the server checks it against its own CA).
        LocalCertificateSelectionCallback = Certificate == null ? null : (_, _, _, _, _) => Certificate,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = Authority.ServerValidator(),
    };

    /// <summary>
    /// What a client hands SslStream to reach a server this process runs itself with its own keys (the etcd member a master
    /// supervises, on loopback): it presents its certificate and accepts only a server presenting that same certificate,
    /// issued by the authority. The host dialled (127.0.0.1) need not be one the certificate names.
    /// </summary>
    public SslClientAuthenticationOptions OwnServerClientOptions()
    {
        var own = Certificate ?? throw new InvalidOperationException("reaching a server of one's own needs one's certificate");
        var options = ClientOptions();
        var issued = Authority.ServerValidator(checkHostName: false);
        options.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
            certificate != null && certificate.GetRawCertData().AsSpan().SequenceEqual(own.RawData) && issued(sender, certificate, chain, errors);
        return options;
    }
}
