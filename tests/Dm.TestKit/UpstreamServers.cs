using Dm.Core.Upstream;
using Xunit;

namespace Dm.TestKit;

/// <summary>
/// The servers the Upstream tests (Dm.Core.Tests) and the pre-check tests (Dm.Master.Tests) run against, started
/// together once per collection: Source (binlog ROW, server-id 1, TLS with a test CA), Statement (binlog STATEMENT,
/// row image MINIMAL, binlog-ignore-db=pc_ignored, server-id 2) and Target (no binlog, server-id 3).
/// Test projects declare <c>[CollectionDefinition("...")] class X : ICollectionFixture&lt;UpstreamServers&gt;</c>.
/// </summary>
public sealed class UpstreamServers : IAsyncLifetime
{
    public const string IgnoredDb = "pc_ignored";

    public MariaDbServer Source { get; private set; } = null!;
    public MariaDbServer Statement { get; private set; } = null!;
    public MariaDbServer Target { get; private set; } = null!;
    public TestCertificates Certificates { get; } = TestCertificates.Create();
    private string _certDirectory = "";

    public async Task InitializeAsync()
    {
        _certDirectory = Path.Combine(Path.GetTempPath(), "dm-testkit", $"certs-{Guid.NewGuid():N}"[..20]);
        Directory.CreateDirectory(_certDirectory);
        var ca = Path.Combine(_certDirectory, "ca.pem");
        var cert = Path.Combine(_certDirectory, "server.pem");
        var key = Path.Combine(_certDirectory, "server-key.pem");
        await File.WriteAllTextAsync(ca, Certificates.CaPem);
        await File.WriteAllTextAsync(cert, Certificates.ServerCertPem);
        await File.WriteAllTextAsync(key, Certificates.ServerKeyPem);

        var source = MariaDbServer.StartAsync(new MariaDbOptions
        {
            ServerId = 1,
            ExtraArguments = [$"ssl-ca={ca}", $"ssl-cert={cert}", $"ssl-key={key}", TmpDir("source")],
        });
        var statement = MariaDbServer.StartAsync(new MariaDbOptions
        {
            ServerId = 2,
            BinlogFormat = "STATEMENT",
            ExtraArguments = ["binlog-row-image=MINIMAL", $"binlog-ignore-db={IgnoredDb}", TmpDir("statement")],
        });
        var target = MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 3, LogBin = false, ExtraArguments = [TmpDir("target")] });
        try
        {
            await Task.WhenAll(source, statement, target);
        }
        finally
        {
            if (source.IsCompletedSuccessfully) Source = source.Result;
            if (statement.IsCompletedSuccessfully) Statement = statement.Result;
            if (target.IsCompletedSuccessfully) Target = target.Result;
        }
    }

    /// <summary>
    /// A private tmpdir per server: many servers share this machine's /tmp, and internal temporary tables
    /// deleted from under a server there have failed queries ("Error on delete of '/tmp/#sql-temptable-…'").
    /// </summary>
    private string TmpDir(string name)
    {
        var dir = Path.Combine(_certDirectory, "tmp-" + name);
        Directory.CreateDirectory(dir);
        return $"tmpdir={dir}";
    }

    public static DatabaseEndpoint Root(MariaDbServer server) => new(server.Host, server.Port, server.User, server.Password);

    public static DatabaseEndpoint As(MariaDbServer server, string user, string password) => new(server.Host, server.Port, user, password);

    /// <summary>Runs statements as root, one by one.</summary>
    public static async Task ExecAsync(MariaDbServer server, params string[] statements)
    {
        foreach (var sql in statements) await server.ExecuteAsync(sql);
    }

    public async Task DisposeAsync()
    {
        foreach (var server in new[] { Source, Statement, Target })
            if (server != null) await server.DisposeAsync();
        try { Directory.Delete(_certDirectory, recursive: true); } catch (IOException) { }
    }
}
