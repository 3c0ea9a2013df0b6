using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Dm.TestKit;

/// <summary>A throwaway CA and a server certificate it signed, as PEM, for a TLS-enabled test server.</summary>
public sealed class TestCertificates
{
    public required string CaPem { get; init; }
    public required string ServerCertPem { get; init; }
    public required string ServerKeyPem { get; init; }
    public required string ClientCertPem { get; init; }
    public required string ClientKeyPem { get; init; }

    public static TestCertificates Create(string commonName = "dm-test-ca")
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest($"CN={commonName}", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        // Made out to 127.0.0.1, where the test servers listen: a client that checks host names accepts it there.
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        var serial = RandomNumberGenerator.GetBytes(8);
        using var server = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), serial);
        using var clientKey = RSA.Create(2048);
        var clientRequest = new CertificateRequest("CN=dm-client", clientKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        clientRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        using var client = clientRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), RandomNumberGenerator.GetBytes(8));
        return new TestCertificates
        {
            CaPem = ca.ExportCertificatePem(),
            ServerCertPem = server.ExportCertificatePem(),
            ServerKeyPem = serverKey.ExportPkcs8PrivateKeyPem(),
            ClientCertPem = client.ExportCertificatePem(),
            ClientKeyPem = clientKey.ExportPkcs8PrivateKeyPem(),
        };
    }
}
