using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Dm.Core.Tls;
using Dm.TestKit;

namespace Dm.Core.Tests.Tls;

/// <summary>
/// How a master checks the etcd member it runs on loopback: only a server presenting the master's own certificate is
/// accepted (whatever host the certificate names), not another certificate of the same CA nor one of another CA.
/// </summary>
public sealed class OwnServerClientOptionsTests : IDisposable
{
    private readonly TestCertificateAuthority _authority = TestCertificateAuthority.Create("own-ca");
    private readonly TestCertificateAuthority _other = TestCertificateAuthority.Create("other-ca");

    [Fact]
    public void Only_the_processs_own_certificate_is_accepted_from_its_own_server()
    {
        var own = _authority.Issue("dm");
        var identity = TlsIdentity.Load(new TlsSettings { SslCa = own.Ca, SslCert = own.Cert, SslKey = own.Key }, server: true)!;
        var options = identity.OwnServerClientOptions();
        Assert.Same(identity.Certificate, options.ClientCertificates![0]);
        var check = options.RemoteCertificateValidationCallback!;

        Assert.True(check(this, Load(own), null, SslPolicyErrors.None));
        // The member is dialled at 127.0.0.1, which a real certificate need not name: a name mismatch does not matter here.
        Assert.True(check(this, Load(own), null, SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.False(check(this, Load(_authority.Issue("dm")), null, SslPolicyErrors.None));
        Assert.False(check(this, Load(_other.Issue("dm")), null, SslPolicyErrors.None));
        Assert.False(check(this, null, null, SslPolicyErrors.RemoteCertificateNotAvailable));
    }

    private static X509Certificate2 Load(TestTlsFiles files) => X509CertificateLoader.LoadCertificateFromFile(files.Cert);

    public void Dispose()
    {
        _authority.Dispose();
        _other.Dispose();
    }
}
