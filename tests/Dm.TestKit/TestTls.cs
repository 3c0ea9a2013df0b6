using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Dm.TestKit;

/// <summary>
/// A throwaway certificate authority made at test time (never a committed key): it issues certificates for 127.0.0.1 that
/// serve as both server and client certificates, written as PEM files a DM# process is given with ssl-ca/ssl-cert/ssl-key.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly X509Certificate2 _ca;
    private readonly string _directory;

    public string CaPem { get; }
    public string CaPath { get; }

    private TestCertificateAuthority(X509Certificate2 ca, string directory)
    {
        _ca = ca;
        _directory = directory;
        CaPem = ca.ExportCertificatePem();
        CaPath = Path.Combine(directory, "ca.pem");
        File.WriteAllText(CaPath, CaPem);
    }

    public static TestCertificateAuthority Create(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return new TestCertificateAuthority(ca, ScratchDirectory.Create("tls"));
    }

    /// <summary>A certificate with this common name for 127.0.0.1 and localhost, signed by this authority, as files.</summary>
    public TestTlsFiles Issue(string commonName)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false)); // server and client authentication
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        using var certificate = request.Create(_ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), RandomNumberGenerator.GetBytes(8));
        var stem = Path.Combine(_directory, commonName + "-" + Guid.NewGuid().ToString("N")[..6]);
        File.WriteAllText(stem + ".pem", certificate.ExportCertificatePem());
        File.WriteAllText(stem + "-key.pem", key.ExportPkcs8PrivateKeyPem());
        return new TestTlsFiles(CaPath, stem + ".pem", stem + "-key.pem", CaPem);
    }

    public void Dispose()
    {
        _ca.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>The ssl-ca/ssl-cert/ssl-key files of one party, and an HTTP handler that talks TLS as that party.</summary>
public sealed record TestTlsFiles(string Ca, string Cert, string Key, string CaPem)
{
    /// <summary>DM's flags for these files.</summary>
    public IReadOnlyList<string> Arguments => ["--ssl-ca", Ca, "--ssl-cert", Cert, "--ssl-key", Key];

    /// <summary>Presents this certificate and trusts only servers whose certificate <see cref="Ca"/> issued.</summary>
    public SocketsHttpHandler Handler(bool presentCertificate = true)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(CaPem);
        var pem = X509Certificate2.CreateFromPemFile(Cert, Key);
        var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        pem.Dispose();
        return new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = presentCertificate ? [certificate] : null,
                LocalCertificateSelectionCallback = presentCertificate ? (_, _, _, _, _) => certificate : null,
                RemoteCertificateValidationCallback = (_, server, _, _) =>
                {
                    if (server == null) return false;
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(X509CertificateLoader.LoadCertificate(server.GetRawCertData()));
                },
            },
        };
    }
}
