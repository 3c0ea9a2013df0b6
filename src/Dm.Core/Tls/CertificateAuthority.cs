using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Dm.Core.Tls;

/// <summary>
/// The certificates of an <c>ssl-ca</c> file: a certificate is trusted when its chain ends at one of them (the system's
/// trust store plays no part; revocation is not checked, as DM does not check it).
/// </summary>
public sealed class CertificateAuthority
{
    private readonly X509Certificate2Collection _roots;

    private CertificateAuthority(X509Certificate2Collection roots) => _roots = roots;

    /// <exception cref="TlsConfigException">no certificate in the PEM text.</exception>
    public static CertificateAuthority FromPem(string pem, string what)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new TlsConfigException($"{what} is not a PEM certificate: {e.Message}", e);
        }
        if (roots.Count == 0) throw new TlsConfigException($"{what} holds no PEM certificate");
        return new CertificateAuthority(roots);
    }

    /// <summary>Whether <paramref name="certificate"/> was issued by one of these authorities (and is valid now).</summary>
    public bool Issued(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <summary>
    /// A server-certificate check: issued by these authorities and, when <paramref name="checkHostName"/>, made out to the host
    /// dialled (its subject alternative names; SslStream compares them with the target host).
    /// </summary>
    public RemoteCertificateValidationCallback ServerValidator(bool checkHostName = true) => (_, certificate, _, errors) =>
        certificate != null
        && (errors & SslPolicyErrors.RemoteCertificateNotAvailable) == 0
        && (!checkHostName || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0)
        && Issued(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
}
