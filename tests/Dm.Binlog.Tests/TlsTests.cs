using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dm.Binlog.Events;
using Dm.Binlog.Protocol;
using Dm.Binlog.Replication;
using Dm.TestKit;

namespace Dm.Binlog.Tests;

/// <summary>TLS to a real MariaDB started with a self-signed certificate made here.</summary>
public sealed class TlsTests
{
    [Fact]
    public async Task ReplicatesOverTls()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dm-binlog-tls-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllTextAsync(Path.Combine(dir, "cert.pem"), certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(dir, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        await using var server = await MariaDbServer.StartAsync(new MariaDbOptions
        {
            ExtraArguments = [$"ssl-cert={Path.Combine(dir, "cert.pem")}", $"ssl-key={Path.Combine(dir, "key.pem")}"],
        });
        var options = BinlogReading.Options(server) with
        {
            Tls = TlsMode.Required,
            // Accept exactly the certificate made above.
            ServerCertificateValidation = (_, cert, _, _) => cert != null && cert.GetCertHashString() == certificate.GetCertHashString(),
        };

        await using (var connection = await ServerConnection.ConnectAsync(options, CancellationToken.None))
        {
            Assert.True(connection.IsTls);
            var cipher = await connection.QueryAsync("SHOW SESSION STATUS LIKE 'Ssl_cipher'", CancellationToken.None);
            Assert.False(string.IsNullOrEmpty(cipher[0][1]));
        }

        await server.ExecuteAsync("CREATE DATABASE tls_db");
        await server.ExecuteAsync("CREATE TABLE tls_db.t (id INT PRIMARY KEY)");
        await server.ExecuteAsync("INSERT INTO tls_db.t VALUES (1), (2)");
        var client = new BinlogClient(options);
        var ids = new List<object?>();
        await foreach (var ev in client.ReadEventsAsync())
            if (ev is RowsEvent rows && rows.Table?.Table == "t")
                ids.AddRange(rows.Rows.Select(r => r.After!.GetValue(0)));
        Assert.Equal([1L, 2L], ids);

        // A certificate the callback rejects stops the connection.
        var untrusting = options with { ServerCertificateValidation = (_, _, _, _) => false };
        await Assert.ThrowsAnyAsync<System.Security.Authentication.AuthenticationException>(
            () => ServerConnection.ConnectAsync(untrusting, CancellationToken.None));
    }

    [Fact]
    public async Task A_client_certificate_lets_an_account_that_requires_X509_stream()
    {
        var certificates = TestCertificates.Create();
        var dir = Path.Combine(Path.GetTempPath(), "dm-binlog-x509-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "ca.pem"), certificates.CaPem);
        await File.WriteAllTextAsync(Path.Combine(dir, "cert.pem"), certificates.ServerCertPem);
        await File.WriteAllTextAsync(Path.Combine(dir, "key.pem"), certificates.ServerKeyPem);
        await using var server = await MariaDbServer.StartAsync(new MariaDbOptions
        {
            ExtraArguments = [$"ssl-ca={Path.Combine(dir, "ca.pem")}", $"ssl-cert={Path.Combine(dir, "cert.pem")}", $"ssl-key={Path.Combine(dir, "key.pem")}"],
        });
        await server.ExecuteAsync("CREATE USER 'x509_repl'@'%' IDENTIFIED BY 'x509-pass' REQUIRE X509");
        await server.ExecuteAsync("GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'x509_repl'@'%'");
        using var pem = X509Certificate2.CreateFromPem(certificates.ClientCertPem, certificates.ClientKeyPem);
        using var client = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        var options = BinlogReading.Options(server) with { User = "x509_repl", Password = "x509-pass", Tls = TlsMode.Required };

        await Assert.ThrowsAnyAsync<Exception>(() => ServerConnection.ConnectAsync(options, CancellationToken.None));
        await using var connection = await ServerConnection.ConnectAsync(options with { ClientCertificate = client }, CancellationToken.None);
        Assert.True(connection.IsTls);
    }
}
