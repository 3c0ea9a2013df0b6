using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Dm.Core.Tls;

/// <summary>A certificate and its private key from PEM text, usable by SslStream (client or server side).</summary>
public static class PemIdentity
{
    /// <exception cref="TlsConfigException">either is not PEM, or the key is not the certificate's.</exception>
    public static X509Certificate2 Load(string certificatePem, string keyPem, string what)
    {
        X509Certificate2 pem;
        try
        {
            pem = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new TlsConfigException($"{what}: the certificate and key cannot be used together ({e.Message})", e);
        }
        using (pem)
        {
            var now = DateTime.Now;
            if (now < pem.NotBefore || now > pem.NotAfter)
                throw new TlsConfigException($"{what}: the certificate is valid from {pem.NotBefore:u} to {pem.NotAfter:u}, not now");
            // SslStream on Linux wants a certificate whose key is not ephemeral.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
    }

    /// <summary>The subject's common name (CN, the last when several), "" when it has none.</summary>
    public static string CommonName(X509Certificate2 certificate)
    {
        var name = "";
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == "2.5.4.3") name = rdn.GetSingleElementValue() ?? "";
        return name;
    }
}
