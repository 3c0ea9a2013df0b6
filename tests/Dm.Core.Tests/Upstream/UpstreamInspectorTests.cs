using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Core.Upstream;
using Dm.TestKit;
using MySqlConnector;

namespace Dm.Core.Tests.Upstream;

[Collection(UpstreamServersCollection.Name)]
public sealed class UpstreamInspectorTests(UpstreamServers servers)
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task ReadsServerInfoOfMariaDbSource()
    {
        await using var inspector = await UpstreamInspector.ConnectAsync(UpstreamServers.Root(servers.Source), Ct);
        var info = await inspector.ReadServerInfoAsync(Ct);
        Assert.Equal(ServerFlavor.MariaDb, info.Flavor);
        Assert.StartsWith("10.11", info.Version);
        Assert.Equal(1u, info.ServerId);
        Assert.True(info.LogBin);
        Assert.Equal("ROW", info.BinlogFormat);
        Assert.Equal("FULL", info.BinlogRowImage);
        Assert.Null(info.GtidMode);
        Assert.Equal(0u, info.GtidDomainId);
        Assert.True(info.GtidAvailable);
        Assert.True(info.CaseSensitive);
        Assert.Equal(500, info.MaxConnections);
        UpstreamInspector.EnsureGtidUsable(info, inspector.Endpoint);
    }

    [Fact]
    public async Task ReadsStatementFormatAndMissingBinlog()
    {
        await using (var inspector = await UpstreamInspector.ConnectAsync(UpstreamServers.Root(servers.Statement), Ct))
        {
            var info = await inspector.ReadServerInfoAsync(Ct);
            Assert.Equal("STATEMENT", info.BinlogFormat);
            Assert.Equal("MINIMAL", info.BinlogRowImage);
            Assert.Equal(2u, info.ServerId);
            var position = await inspector.ReadMasterStatusAsync(info, Ct);
            Assert.Equal(UpstreamServers.IgnoredDb, position.BinlogIgnoreDb);
        }
        await using (var inspector = await UpstreamInspector.ConnectAsync(UpstreamServers.Root(servers.Target), Ct))
        {
            var info = await inspector.ReadServerInfoAsync(Ct);
            Assert.False(info.LogBin);
            var e = await Assert.ThrowsAsync<UpstreamException>(() => inspector.ReadMasterStatusAsync(info, Ct));
            Assert.Contains("log_bin", e.Message);
        }
    }

    [Fact]
    public async Task BinlogPositionMovesWithWritesAndCarriesTheGtid()
    {
        await UpstreamServers.ExecAsync(servers.Source, "CREATE DATABASE IF NOT EXISTS insp_pos", "CREATE TABLE IF NOT EXISTS insp_pos.t (id INT PRIMARY KEY)");
        await using var inspector = await UpstreamInspector.ConnectAsync(UpstreamServers.Root(servers.Source), Ct);
        var info = await inspector.ReadServerInfoAsync(Ct);
        var before = (await inspector.ReadMasterStatusAsync(info, Ct)).Location;
        await UpstreamServers.ExecAsync(servers.Source, "INSERT INTO insp_pos.t VALUES (" + Environment.TickCount % 100000 + ")");
        var after = (await inspector.ReadMasterStatusAsync(info, Ct)).Location;
        Assert.StartsWith("mysql-bin.", before.FileName);
        Assert.True(after.FileName != before.FileName || after.Offset > before.Offset);
        Assert.Matches(@"^0-1-\d+$", after.GtidText);
        Assert.NotEqual(before.GtidText, after.GtidText);
    }

    [Fact]
    public async Task ListsSchemasRawAndBaseTablesOfOddlyNamedSchemas()
    {
        await UpstreamServers.ExecAsync(servers.Source,
            "CREATE DATABASE IF NOT EXISTS `insp-db-name`",
            "CREATE TABLE IF NOT EXISTS `insp-db-name`.`t-1` (id INT PRIMARY KEY)",
            "CREATE OR REPLACE VIEW `insp-db-name`.`v1` AS SELECT id FROM `insp-db-name`.`t-1`",
            "CREATE DATABASE IF NOT EXISTS `insp``tick`",
            "CREATE TABLE IF NOT EXISTS `insp``tick`.`a``b` (id INT)");
        await using var inspector = await UpstreamInspector.ConnectAsync(UpstreamServers.Root(servers.Source), Ct);
        var schemas = await inspector.ListSchemasAsync(Ct);
        Assert.Contains("mysql", schemas);
        Assert.Contains("information_schema", schemas);
        Assert.Contains("insp-db-name", schemas);
        Assert.Contains("insp`tick", schemas);
        Assert.Equal(["t-1"], await inspector.ListBaseTablesAsync("insp-db-name", Ct));
        Assert.Equal(["a`b"], await inspector.ListBaseTablesAsync("insp`tick", Ct));
        var e = await Assert.ThrowsAsync<UpstreamException>(() => inspector.ListBaseTablesAsync("insp_no_such_db", Ct));
        Assert.Equal(UpstreamErrorCodes.DatabaseDriverError, e.Code);
        Assert.Contains("insp_no_such_db", e.Message);
    }

    [Fact]
    public async Task PicksServerIdAvoidingConnectedReplicasAndOtherSources()
    {
        // Make the target a real replica of the source, starting at the source's current position.
        await using var inspector = await UpstreamInspector.ConnectAsync(UpstreamServers.Root(servers.Source), Ct);
        var info = await inspector.ReadServerInfoAsync(Ct);
        var position = await inspector.ReadMasterStatusAsync(info, Ct);
        await using (var replica = await servers.Target.OpenAsync(cancellationToken: Ct))
        {
            await using var change = new MySqlCommand(
                "CHANGE MASTER TO MASTER_HOST = @host, MASTER_PORT = " + servers.Source.Port +
                ", MASTER_USER = 'root', MASTER_PASSWORD = @password, MASTER_LOG_FILE = @file, MASTER_LOG_POS = " + position.Location.Offset +
                ", MASTER_USE_GTID = no", replica);
            change.Parameters.AddWithValue("@host", servers.Source.Host);
            change.Parameters.AddWithValue("@password", servers.Source.Password);
            change.Parameters.AddWithValue("@file", position.Location.FileName);
            await change.ExecuteNonQueryAsync(Ct);
        }
        try
        {
            await servers.Target.ExecuteAsync("START SLAVE", Ct);
            IReadOnlySet<uint> replicas = new HashSet<uint>();
            for (var i = 0; i < 100 && !replicas.Contains(3u); i++)
            {
                await Task.Delay(50, Ct);
                replicas = await inspector.ReadReplicaServerIdsAsync(info, Ct);
            }
            Assert.Contains(3u, replicas);
            var used = new HashSet<uint> { 429496729u };
            for (var i = 0; i < 50; i++)
            {
                var id = await inspector.PickReplicationServerIdAsync(info, used, Ct, new Random(i));
                Assert.InRange(id, 429496729u, 429496729u + 99999u);
                Assert.DoesNotContain(id, used);
            }
        }
        finally
        {
            await servers.Target.ExecuteAsync("STOP SLAVE", Ct);
            await servers.Target.ExecuteAsync("RESET SLAVE ALL", Ct);
        }
    }

    [Fact]
    public async Task UnreachableServerOrBadPasswordIsDriverError10001()
    {
        var closedPort = Dm.TestKit.FreePort.Next();
        var e = await Assert.ThrowsAsync<UpstreamException>(() =>
            UpstreamInspector.ConnectAsync(new DatabaseEndpoint("127.0.0.1", closedPort, "root", "x"), Ct));
        Assert.Equal(10001, e.Code);
        Assert.True(e.ConnectFailed);
        e = await Assert.ThrowsAsync<UpstreamException>(() =>
            UpstreamInspector.ConnectAsync(UpstreamServers.As(servers.Source, "root", "wrong-password"), Ct));
        Assert.Equal(10001, e.Code);
        Assert.Contains("Access denied", e.Message);
        Assert.DoesNotContain("wrong-password", e.Message);
    }

    [Fact]
    public async Task TlsWithTheServersCaConnectsEncryptedAndAForeignCaIsRefused()
    {
        var endpoint = UpstreamServers.Root(servers.Source) with { TlsCaPem = servers.Certificates.CaPem };
        await using (var connection = await DatabaseConnector.OpenAsync(endpoint, Ct))
        {
            await using var command = new MySqlCommand("SHOW SESSION STATUS LIKE 'Ssl_cipher'", connection);
            await using var reader = await command.ExecuteReaderAsync(Ct);
            Assert.True(await reader.ReadAsync(Ct));
            Assert.NotEqual("", reader.GetString(1));
        }
        var foreign = endpoint with { TlsCaPem = TestCertificates.Create("some-other-ca").CaPem };
        var e = await Assert.ThrowsAsync<UpstreamException>(() => DatabaseConnector.OpenAsync(foreign, Ct));
        Assert.Equal(10001, e.Code);
        // The plain server (no TLS) refuses a TLS-requiring endpoint.
        var plain = UpstreamServers.Root(servers.Target) with { TlsCaPem = servers.Certificates.CaPem };
        await Assert.ThrowsAsync<UpstreamException>(() => DatabaseConnector.OpenAsync(plain, Ct));
    }

    [Fact]
    public async Task ClientCertificateSatisfiesAnAccountThatRequiresX509()
    {
        await UpstreamServers.ExecAsync(servers.Source,
            "CREATE USER IF NOT EXISTS 'insp_x509'@'%' IDENTIFIED BY 'x509-pass' REQUIRE X509");
        var plain = UpstreamServers.As(servers.Source, "insp_x509", "x509-pass");
        await Assert.ThrowsAsync<UpstreamException>(() => DatabaseConnector.OpenAsync(plain with { TlsCaPem = servers.Certificates.CaPem }, Ct));
        var withCert = plain with
        {
            TlsCaPem = servers.Certificates.CaPem,
            TlsCertPem = servers.Certificates.ClientCertPem,
            TlsKeyPem = servers.Certificates.ClientKeyPem,
        };
        await using var inspector = await UpstreamInspector.ConnectAsync(withCert, Ct);
        Assert.Equal(ServerFlavor.MariaDb, (await inspector.ReadServerInfoAsync(Ct)).Flavor);
        var e = await Assert.ThrowsAsync<UpstreamException>(() => DatabaseConnector.OpenAsync(withCert with { TlsKeyPem = null }, Ct));
        Assert.Contains("without its key", e.Message);
    }

    [Fact]
    public async Task WithACaTheHostNameIsCheckedAndTlsFilesAndBase64AreHonoured()
    {
        // The server's certificate is made out to 127.0.0.1: dialled as localhost, the same certificate is refused.
        var byName = UpstreamServers.Root(servers.Source) with { Host = "localhost", TlsCaPem = servers.Certificates.CaPem };
        var e = await Assert.ThrowsAsync<UpstreamException>(() => DatabaseConnector.OpenAsync(byName, Ct));
        Assert.Contains("SSL Authentication", e.Message, StringComparison.Ordinal);

        // DM's task.yaml form: ssl-ca as a file path, the client certificate and key as base64.
        await UpstreamServers.ExecAsync(servers.Source,
            "CREATE USER IF NOT EXISTS 'insp_x509_files'@'%' IDENTIFIED BY 'x509-pass' REQUIRE X509");
        var caFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(caFile, servers.Certificates.CaPem, Ct);
        try
        {
            var db = new DbConfig
            {
                Host = servers.Source.Host, Port = servers.Source.Port, User = "insp_x509_files", Password = "x509-pass",
                Security = new SecurityConfig
                {
                    SslCa = caFile,
                    SslCertBase64 = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(servers.Certificates.ClientCertPem)),
                    SslKeyBase64 = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(servers.Certificates.ClientKeyPem)),
                },
            };
            await using (var connection = await DatabaseConnector.OpenAsync(DbConfigEndpoint.From(db), Ct))
                Assert.Equal(System.Data.ConnectionState.Open, connection.State);
            db.Security.SslCa = caFile + ".missing";
            var missing = Assert.Throws<DmException>(() => DbConfigEndpoint.From(db));
            Assert.Equal(11112, missing.Code);
            Assert.Contains("cannot read ssl-ca file", missing.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(caFile);
        }
    }
}
