using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dm.Contracts;
using Dm.Core.Tls;
using Dm.TestKit;
using Grpc.Core;

namespace Dm.IntegrationTests;

/// <summary>
/// A TLS cluster built from certificates made at test time: a master and two workers with DM's ssl-ca/ssl-cert/ssl-key and
/// cert-allowed-cn, dmctl with --ssl-*. Everything works over TLS; a client without a certificate, with one from another CA,
/// or with a common name outside cert-allowed-cn is refused on the API, on the worker channel and on a worker's port, and
/// plain HTTP to the TLS master gets nothing. Keys given that cannot be honoured stop the master at start.
/// </summary>
public sealed class TlsClusterTests : IAsyncLifetime
{
    private TestCertificateAuthority _authority = null!;
    private TestCertificateAuthority _otherAuthority = null!;
    private TestTlsFiles _dm = null!;
    private MariaDbServer _upstream = null!;
    private DmMasterProcess _master = null!;

    public async Task InitializeAsync()
    {
        _authority = TestCertificateAuthority.Create("dm-test-ca");
        _otherAuthority = TestCertificateAuthority.Create("other-ca");
        _dm = _authority.Issue("dm");
        _upstream = await MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 43 });
        _master = await DmMasterProcess.StartAsync("tls-master", ["--cert-allowed-cn", "dm"], tls: _dm);
    }

    public async Task DisposeAsync()
    {
        await _master.DisposeAsync();
        await _upstream.DisposeAsync();
        _authority.Dispose();
        _otherAuthority.Dispose();
    }

    [Fact]
    public async Task Everything_works_over_TLS_and_only_allowed_certificates_get_in()
    {
        await using var worker1 = await DmWorkerProcess.StartAsync("tls-w1", [_master], extraArguments: ["--cert-allowed-cn", "dm"], tls: _dm);
        await using var worker2 = await DmWorkerProcess.StartAsync("tls-w2", [_master], extraArguments: ["--cert-allowed-cn", "dm"], tls: _dm);
        await MigrationEnvironment.WaitForAsync(async () => (await Workers()).Count(w => w.Value != "offline") == 2, "both workers online over TLS", TimeSpan.FromSeconds(30));

        var create = await _master.Http.PostAsJsonAsync("/api/v1/sources", new
        {
            source = new { source_name = "tls-src", host = _upstream.Host, port = _upstream.Port, user = _upstream.User,
                password = _upstream.Password, enable_gtid = false, enable = true },
        });
        Assert.Equal(201, (int)create.StatusCode);
        await MigrationEnvironment.WaitForAsync(async () => (await Workers()).Values.Contains("bound:tls-src"), "tls-src bound over TLS", TimeSpan.FromSeconds(30));

        // dmctl with --ssl-*: served; a worker query through the master (master -> worker over TLS) answers.
        var shown = await DmctlRun.RunAsync(_master, "--ssl-ca", _dm.Ca, "--ssl-cert", _dm.Cert, "--ssl-key", _dm.Key, "operate-source", "show");
        Assert.Contains("tls-src", shown.Ok().ToJsonString(), StringComparison.Ordinal);
        var members = await DmctlRun.RunAsync(_master, "--ssl-ca", _dm.Ca, "--ssl-cert", _dm.Cert, "--ssl-key", _dm.Key, "list-member", "--worker");
        Assert.Contains("tls-w2", members.Ok().ToJsonString(), StringComparison.Ordinal);
        // decrypt needs an authenticated client: over TLS dmctl's accepted certificate is enough (no join secret); this
        // master has no secret key, so it goes on to DM's 20067 rather than the 401 an anonymous caller gets.
        var decrypt = await DmctlRun.RunAsync(_master, "--ssl-ca", _dm.Ca, "--ssl-cert", _dm.Cert, "--ssl-key", _dm.Key, "decrypt", "enc1:AAAA");
        Assert.Contains("20067", decrypt.ToString(), StringComparison.Ordinal);
        // dmctl without them does not get an answer from the TLS master.
        Assert.NotEqual(0, (await DmctlRun.RunAsync(_master, "operate-source", "show")).ExitCode);

        // Refused on the API, the worker channel and a worker's port: no certificate, another CA's, a CN not allowed.
        var intruder = _authority.Issue("intruder");
        var stranger = _otherAuthority.Issue("dm");
        // The stranger trusts our CA to reach the server at all: it is its client certificate that is wrong.
        var trustingStranger = stranger with { Ca = _dm.Ca, CaPem = _dm.CaPem };
        foreach (var handler in new[] { _dm.Handler(presentCertificate: false), trustingStranger.Handler(), intruder.Handler() })
        {
            using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
            await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(_master.BaseAddress, "/api/v1/sources")));
            await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"https://127.0.0.1:{worker1.Port}/status"));
        }
        foreach (var party in new[] { intruder, trustingStranger })
        {
            using var channel = GrpcWebChannel.Open(_master.Address, TlsIdentity.Load(new TlsSettings { SslCa = party.Ca, SslCert = party.Cert, SslKey = party.Key }, server: false));
            var hub = new WorkerHub.WorkerHubClient(channel);
            var refused = await Assert.ThrowsAsync<RpcException>(() =>
                hub.RegisterAsync(new RegisterRequest { Name = "intruder", Address = "127.0.0.1:1" }).ResponseAsync);
            Assert.NotEqual(StatusCode.OK, refused.StatusCode);
        }
        // Plain HTTP to the TLS master gets no answer.
        using (var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            var answered = false;
            try { answered = (await plain.GetAsync($"http://127.0.0.1:{_master.Port}/api/v1/sources")).IsSuccessStatusCode; }
            catch (HttpRequestException) { }
            Assert.False(answered);
        }
        Assert.Contains("TLS client refused", _master.ReadLog(), StringComparison.Ordinal);
        Assert.Contains("not in cert-allowed-cn", _master.ReadLog(), StringComparison.Ordinal);
        Assert.True(worker1.IsRunning && worker2.IsRunning);
        Assert.Equal(2, (await Workers()).Count(w => w.Value != "offline"));
    }

    [Fact]
    public async Task Keys_that_cannot_be_honoured_stop_the_master_at_start()
    {
        var withoutKey = await Assert.ThrowsAsync<InvalidOperationException>(() => DmMasterProcess.StartAsync("tls-bad1", ["--ssl-ca", _dm.Ca, "--ssl-cert", _dm.Cert]));
        Assert.Contains("ssl-cert is given without ssl-key", withoutKey.Message, StringComparison.Ordinal);
        var otherKey = _authority.Issue("other");
        var mismatched = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            DmMasterProcess.StartAsync("tls-bad2", ["--ssl-ca", _dm.Ca, "--ssl-cert", _dm.Cert, "--ssl-key", otherKey.Key]));
        Assert.Contains("cannot be used together", mismatched.Message, StringComparison.Ordinal);
        // With a cluster of masters, what TLS between masters and to etcd cannot honour.
        (string Name, string[] Arguments, string Error)[] clusters =
        [
            ("tls-bad3", ["--etcd-endpoints", "https://127.0.0.1:1"], "are https: TLS to etcd needs ssl-ca"),
            ("tls-bad4", ["--etcd-endpoints", "http://127.0.0.1:1", .. _dm.Arguments], "must all be https:// with ssl-ca, ssl-cert and ssl-key"),
            ("tls-bad5", ["--peer-urls", "https://127.0.0.1:1", "--initial-cluster", "tls-bad5=https://127.0.0.1:1"], "TLS between masters needs ssl-ca"),
            ("tls-bad6", ["--peer-urls", "http://127.0.0.1:1", "--initial-cluster", "tls-bad6=http://127.0.0.1:1", "--cert-allowed-cn", "dm,other", .. _dm.Arguments],
                "names several common names"),
        ];
        foreach (var (name, arguments, error) in clusters)
            Assert.Contains(error, (await Assert.ThrowsAsync<InvalidOperationException>(() => DmMasterProcess.StartAsync(name, arguments))).Message,
                StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, string>> Workers()
    {
        var list = await _master.Http.GetFromJsonAsync<JsonObject>("/api/v1/cluster/workers");
        return list!["data"]!.AsArray().ToDictionary(
            w => w!["name"]!.GetValue<string>(),
            w => w!["bound_stage"]!.GetValue<string>() is "bound" ? "bound:" + w["bound_source_name"]!.GetValue<string>() : w["bound_stage"]!.GetValue<string>());
    }
}
