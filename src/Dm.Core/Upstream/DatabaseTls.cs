using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Dm.Core.Upstream;

/// <summary>
/// The one TLS policy of connections to databases (MySqlConnector's and the binlog client's): with a CA the server's
/// certificate must chain to it and be made out to the host dialled (DM's VerifyIdentity); without one, as DM with only a
/// client certificate, the connection is encrypted but the server not verified. A client certificate is presented when given.
/// </summary>
public static class DatabaseTls
{
    /// <summary>The server-certificate check for <paramref name="endpoint"/> (which must use TLS).</summary>
    public static RemoteCertificateValidationCallback ServerValidator(DatabaseEndpoint endpoint)
    {
        if (endpoint.TlsCaPem == null) return (_, _, _, _) => true;
        var ca = new X509Certificate2Collection();
        ca.ImportFromPem(endpoint.TlsCaPem);
        return (_, certificate, _, errors) =>
            certificate != null
            && (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) == 0
            && ChainsTo(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()), ca);
    }

    /// <summary>The client certificate with its key, null when none is given.</summary>
    /// <exception cref="UpstreamException">a certificate without its key, or a pair that does not match.</exception>
    public static X509Certificate2? ClientCertificate(DatabaseEndpoint endpoint)
    {
        if (endpoint.TlsCertPem == null) return null;
        if (endpoint.TlsKeyPem == null)
            throw new UpstreamException(UpstreamErrorCodes.DatabaseDriverError, $"TLS client certificate for {endpoint.Address} given without its key");
        try
        {
            using var pem = X509Certificate2.CreateFromPem(endpoint.TlsCertPem, endpoint.TlsKeyPem);
            // SslStream on Linux wants a certificate whose key is not ephemeral.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new UpstreamException(UpstreamErrorCodes.DatabaseDriverError,
                $"TLS client certificate and key for {endpoint.Address} cannot be used together: {e.Message}", e);
        }
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2Collection ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
