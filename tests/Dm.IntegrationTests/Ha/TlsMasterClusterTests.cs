using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Dm.Core.Tls;
using Dm.TestKit;
using Dm.TestKit.DataComparison;

namespace Dm.IntegrationTests.Ha;

/// <summary>
/// Three dm-masters with DM's ssl-ca/ssl-cert/ssl-key and cert-allowed-cn, each running its etcd member over TLS (client
/// and peer ports with client-certificate authentication), two TLS workers and dmctl with --ssl-*, from certificates made
/// here. A task copies and replicates a database; requests sent to a follower are forwarded to the leader over TLS and
/// answered; the leader is killed with SIGKILL (master and member) and another takes over, the task going on; the target
/// ends equal to the source. Every master refuses a client without a certificate, with another CA's or with a common
/// name outside cert-allowed-cn, and gives nothing over plain HTTP; every etcd member refuses a raw connection without
/// the certificate (client and peer ports), while the master's certificate is served. A master killed alone takes its
/// TLS member over again, and a fourth master joins over TLS. Masters given an external etcd
/// serving TLS with client-certificate authentication (https etcd-endpoints) reach it with their certificate.
/// </summary>
public sealed class TlsMasterClusterTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Task = "tls-ha";
    private const string Source = "tls-ha-src";
    private const int ElectionTtl = 3;

    [Fact]
    public async Task A_TLS_cluster_of_masters_on_TLS_etcd_forwards_fails_over_and_lets_no_stranger_in()
    {
        var clock = Stopwatch.StartNew();
        using var authority = TestCertificateAuthority.Create("dm-ha-ca");
        using var otherAuthority = TestCertificateAuthority.Create("other-ca");
        var certificates = new Dictionary<string, TestTlsFiles>();
        TestTlsFiles CertificateOf(string name)
        {
            lock (certificates) return certificates.TryGetValue(name, out var files) ? files : certificates[name] = authority.Issue("dm");
        }
        var upstreamStart = MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 181 });
        var targetStart = MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 182 });
        await using var cluster = await DmMasterCluster.StartAsync(3, ElectionTtl, ["--cert-allowed-cn", "dm"], "tls-m", tls: CertificateOf);
        await using var upstream = await upstreamStart;
        await using var target = await targetStart;
        output.WriteLine($"three TLS masters lead after {clock.Elapsed.TotalSeconds:0.0} s");
        // Every member serves TLS with its master's certificate, on its client and peer ports (the peer URLs given as http://
        // were made https://, as DM does with TLS keys).
        foreach (var master in cluster.Masters)
        {
            Assert.StartsWith("https://127.0.0.1:", master.EtcdMemberClientUrl, StringComparison.Ordinal);
            Assert.Contains("etcdserver", await AskEtcdAsync(master.PeerPort, certificates[master.Name]), StringComparison.Ordinal);
        }

        // keepalive-ttl well beyond a failover (a worker without a master stops its subtasks after two thirds of it).
        await using var worker1 = await DmWorkerProcess.StartAsync("tls-ha-w1", cluster.Masters, keepAliveTtlSeconds: 20,
            extraArguments: ["--cert-allowed-cn", "dm"], tls: authority.Issue("dm"));
        await using var worker2 = await DmWorkerProcess.StartAsync("tls-ha-w2", cluster.Masters, keepAliveTtlSeconds: 20,
            extraArguments: ["--cert-allowed-cn", "dm"], tls: authority.Issue("dm"));
        await MigrationEnvironment.SeedAsync(upstream, "shop", 20000);

        // Everything through a follower: it forwards to the leader, which serves only https to a certificate it accepts.
        var leader = await cluster.WaitForLeaderAsync();
        var follower = cluster.Masters.First(m => m != leader);
        var created = await follower.Http.PostAsJsonAsync("/api/v1/sources", new
        {
            source = new { source_name = Source, host = upstream.Host, port = upstream.Port, user = upstream.User, password = upstream.Password,
                enable_gtid = false, enable = true },
        });
        Assert.True((int)created.StatusCode == 201, await created.Content.ReadAsStringAsync());
        var task = await follower.Http.PostAsJsonAsync("/api/v1/tasks", TaskBody(target));
        Assert.True((int)task.StatusCode == 201, await task.Content.ReadAsStringAsync());
        var started = await follower.Http.PostAsync($"/api/v1/tasks/{Task}/start", null);
        Assert.True((int)started.StatusCode == 200, await started.Content.ReadAsStringAsync());
        await WaitForSyncAsync(follower);
        output.WriteLine($"task copied and in Sync, all through follower {follower.Name} (leader {leader.Name}), after {clock.Elapsed.TotalSeconds:0.0} s");

        // dmctl with its certificate, to a follower: forwarded and answered; without it, nothing.
        var dmctl = authority.Issue("dm");
        string[] dmctlTls = ["--ssl-ca", dmctl.Ca, "--ssl-cert", dmctl.Cert, "--ssl-key", dmctl.Key];
        var members = (await DmctlRun.RunAsync(follower, [.. dmctlTls, "list-member", "--master"])).Ok().ToJsonString();
        Assert.All(cluster.Masters, m => Assert.Contains(m.Name, members, StringComparison.Ordinal));
        var status = (await DmctlRun.RunAsync(follower, [.. dmctlTls, "query-status", Task])).Ok().ToJsonString();
        Assert.Contains("\"Sync\"", status, StringComparison.Ordinal);
        Assert.NotEqual(0, (await DmctlRun.RunAsync(follower, "query-status", Task)).ExitCode);

        await upstream.ExecuteAsync("""
            INSERT INTO shop.orders SELECT 100000 + seq, seq % 7, seq, 'while the leader leads', NOW(6) FROM shop.seq_1_to_2000;
            UPDATE shop.orders SET note = 'updated' WHERE id % 10 = 3;
            DELETE FROM shop.orders WHERE id % 17 = 5;
            """);

        // The leader's machine dies: master and etcd member, SIGKILL.
        var failover = Stopwatch.StartNew();
        leader.Kill();
        var next = await cluster.WaitForLeaderAsync(except: leader, timeout: TimeSpan.FromSeconds(ElectionTtl + 30));
        output.WriteLine($"{leader.Name} killed with its etcd member; {next.Name} leads after {failover.Elapsed.TotalSeconds:0.0} s");
        var otherFollower = cluster.Masters.First(m => m != leader && m != next);
        await upstream.ExecuteAsync("""
            INSERT INTO shop.orders SELECT 200000 + seq, seq % 5, seq, 'after the failover', NOW(6) FROM shop.seq_1_to_2000;
            UPDATE shop.orders SET amount = amount + 1 WHERE id % 10 = 7;
            INSERT INTO shop.notes VALUES (2, 'after the failover');
            """);
        await AssertConvergesAsync(upstream, target, otherFollower);
        // The data may converge before the worker, which applies on while it looks for the new leader, has heartbeated to
        // it: until then the leader has no report of the subtask (InvalidUnit without an error).
        await MigrationEnvironment.WaitForAsync(async () => await StatusAsync(otherFollower) is { } s
            && !(s["unit"]?.GetValue<string>() == "InvalidUnit" && s["error_msg"] == null), "the worker's report at the new leader", TimeSpan.FromSeconds(30));
        var final = await StatusAsync(otherFollower);
        Assert.Equal(("Running", "Sync"), (final!["stage"]!.GetValue<string>(), final["unit"]!.GetValue<string>()));
        output.WriteLine($"target equal to the source through the failover, asked through follower {otherFollower.Name}, after {clock.Elapsed.TotalSeconds:0.0} s");

        // A master killed alone takes its TLS member over again; the dead machine's master comes back; a fourth master joins
        // (--join asks a running master over https to add its member, whose peer URL is https); then every master is probed.
        otherFollower.KillMasterOnly();
        await otherFollower.RestartAsync();
        Assert.Contains("still runs from before", otherFollower.ReadLog(), StringComparison.Ordinal);
        await leader.RestartAsync();
        await cluster.WaitForLeaderAsync();
        var joined = await cluster.JoinAsync("tls-m4");
        await cluster.WaitForLeaderAsync();
        Assert.Equal(4, (await DmMasterCluster.MastersSeenByAsync(joined))!.Count(m => m.Value.Alive));
        Assert.Equal(("Running", "Sync"), ((await StatusAsync(joined))!["stage"]!.GetValue<string>(), (await StatusAsync(joined))!["unit"]!.GetValue<string>()));
        var intruder = authority.Issue("intruder");
        var stranger = otherAuthority.Issue("dm") with { Ca = authority.CaPath, CaPem = authority.CaPem };
        var refusals = 0;
        foreach (var master in cluster.Masters)
        {
            Assert.Equal(200, (int)(await master.Http.GetAsync("/api/v1/cluster/masters")).StatusCode);
            foreach (var handler in new[] { dmctl.Handler(presentCertificate: false), stranger.Handler(), intruder.Handler() })
            {
                using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
                await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(master.BaseAddress, "/api/v1/sources")));
                refusals++;
            }
            using (var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
            {
                var answered = false;
                try { answered = (await plain.GetAsync($"http://127.0.0.1:{master.Port}/api/v1/sources")).IsSuccessStatusCode; }
                catch (HttpRequestException) { }
                Assert.False(answered, $"{master.Name} answered plain HTTP");
            }

            // Its etcd member: a raw connection gets etcd's answer only with a certificate of the CA (the master's).
            var clientPort = new Uri(master.EtcdMemberClientUrl!).Port;
            var own = certificates[master.Name];
            Assert.Contains("etcdserver", await AskEtcdAsync(clientPort, own), StringComparison.Ordinal);
            foreach (var (port, what) in new[] { (clientPort, "client"), (master.PeerPort, "peer") })
            {
                var withoutCertificate = await AskEtcdAsync(port, own, presentCertificate: false);
                Assert.DoesNotContain("etcdserver", withoutCertificate, StringComparison.Ordinal);
                var foreign = await AskEtcdAsync(port, stranger);
                Assert.DoesNotContain("etcdserver", foreign, StringComparison.Ordinal);
                var inClear = await AskEtcdAsync(port, null);
                Assert.DoesNotContain("etcdserver", inClear, StringComparison.Ordinal);
                output.WriteLine($"{master.Name}'s etcd {what} port {port}: without a certificate \"{withoutCertificate}\"; another CA's \"{foreign}\"; in clear \"{inClear}\"");
                refusals += 3;
            }
            // The peer port takes only the common name cert-allowed-cn names (etcd's peer-cert-allowed-cn).
            Assert.DoesNotContain("etcdserver", await AskEtcdAsync(master.PeerPort, intruder), StringComparison.Ordinal);
        }
        Assert.Contains(cluster.Masters, m => m.ReadLog().Contains("not in cert-allowed-cn", StringComparison.Ordinal));
        Assert.True(worker1.IsRunning && worker2.IsRunning);
        output.WriteLine($"{refusals} strangers refused on {cluster.Masters.Count} masters and their etcd members; whole run {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task Masters_on_an_external_TLS_etcd_present_their_certificate_to_it()
    {
        using var authority = TestCertificateAuthority.Create("dm-ext-ca");
        using var otherAuthority = TestCertificateAuthority.Create("other-ca");
        await using var etcd = await EtcdServer.StartAsync(tls: authority.Issue("etcd"));
        var certificate = authority.Issue("dm");
        string[] arguments = ["--etcd-endpoints", etcd.ClientUrl, "--election-ttl", $"{ElectionTtl}s", "--cert-allowed-cn", "dm"];
        await using var first = await DmMasterProcess.StartAsync("tls-ext-a", arguments, tls: certificate);
        await using var second = await DmMasterProcess.StartAsync("tls-ext-b", arguments, tls: authority.Issue("dm"));

        // Both keep the cluster state in the TLS etcd: they see each other alive and one leader; the follower forwards to it.
        string seen = "";
        await MigrationEnvironment.WaitForAsync(async () =>
        {
            var views = await System.Threading.Tasks.Task.WhenAll(DmMasterCluster.MastersSeenByAsync(first), DmMasterCluster.MastersSeenByAsync(second));
            seen = string.Join("; ", views.Select(v => v == null ? "no answer" : string.Join(',', v.Select(e => $"{e.Key}{(e.Value.Leader ? "*" : "")}"))));
            return views.All(v => v is { Count: 2 } && v.Values.All(m => m.Alive) && v.Values.Count(m => m.Leader) == 1);
        }, "two masters on the TLS etcd with one leader", TimeSpan.FromSeconds(60));
        var leaderName = (await DmMasterCluster.MastersSeenByAsync(first))!.Single(e => e.Value.Leader).Key;
        var follower = leaderName == first.Name ? second : first;
        var forwarded = await follower.Http.GetAsync("/api/v1/sources");
        Assert.True(forwarded.IsSuccessStatusCode, $"{(int)forwarded.StatusCode} {await forwarded.Content.ReadAsStringAsync()} ({seen})");

        Assert.Contains("etcdserver", await AskEtcdAsync(etcd.ClientPort, certificate), StringComparison.Ordinal);
        Assert.DoesNotContain("etcdserver", await AskEtcdAsync(etcd.ClientPort, certificate, presentCertificate: false), StringComparison.Ordinal);
        var stranger = otherAuthority.Issue("dm") with { Ca = authority.CaPath, CaPem = authority.CaPem };
        Assert.DoesNotContain("etcdserver", await AskEtcdAsync(etcd.ClientPort, stranger), StringComparison.Ordinal);
        Assert.DoesNotContain("etcdserver", await AskEtcdAsync(etcd.ClientPort, null), StringComparison.Ordinal);
        output.WriteLine($"masters on external TLS etcd {etcd.ClientUrl}: {seen}; follower {follower.Name} forwarded to {leaderName}");
    }

    private static object TaskBody(MariaDbServer target) => new
    {
        task = new
        {
            name = Task, task_mode = "all", meta_schema = "dm_meta", enhance_online_schema_change = true, on_duplicate = "replace",
            target_config = new { host = target.Host, port = target.Port, user = target.User, password = target.Password },
            table_migrate_rule = new[] { new { source = new { source_name = Source, schema = "shop", table = "*" } } },
            source_config = new
            {
                full_migrate_conf = new { export_threads = 2, import_threads = 2 },
                source_conf = new[] { new { source_name = Source } },
            },
        },
    };

    private static async Task<JsonNode?> StatusAsync(DmMasterProcess master)
    {
        using var response = await master.Http.GetAsync($"/api/v1/tasks/{Task}/status");
        return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonObject>())!["data"]![0] : null;
    }

    private static Task WaitForSyncAsync(DmMasterProcess master) =>
        MigrationEnvironment.WaitForAsync(async () => await StatusAsync(master) is { } s && s["unit"]?.GetValue<string>() == "Sync"
            && s["stage"]?.GetValue<string>() == "Running", $"task {Task} running in Sync", TimeSpan.FromSeconds(90));

    private static async Task AssertConvergesAsync(MariaDbServer upstream, MariaDbServer target, DmMasterProcess master)
    {
        await using var source = await upstream.OpenAsync();
        await using var copy = await target.OpenAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var same = true;
            foreach (var table in new[] { "orders", "notes" })
                same &= await TableChecksum.ComputeAsync(source, "shop", table) == await TableChecksum.ComputeAsync(copy, "shop", table);
            if (same) break;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the target did not converge; status: {(await StatusAsync(master))?.ToJsonString()}");
            await System.Threading.Tasks.Task.Delay(500);
        }
        await MigrationComparer.AssertSameAsync(source, copy, [(("shop", "orders"), ("shop", "orders")), (("shop", "notes"), ("shop", "notes"))]);
    }

    /// <summary>
    /// GET /version on an etcd port over a raw connection: over TLS as <paramref name="party"/> (trusting its CA, presenting its
    /// certificate unless told not to), or in clear when null. What came back, or why nothing did.
    /// </summary>
    private static async Task<string> AskEtcdAsync(int port, TestTlsFiles? party, bool presentCertificate = true)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        Stream stream = tcp.GetStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            if (party != null)
            {
                var identity = TlsIdentity.Load(presentCertificate
                    ? new TlsSettings { SslCa = party.Ca, SslCert = party.Cert, SslKey = party.Key }
                    : new TlsSettings { SslCa = party.Ca }, server: false)!;
                var ssl = new SslStream(stream);
                var options = identity.ClientOptions();
                options.TargetHost = "127.0.0.1";
                await ssl.AuthenticateAsClientAsync(options, timeout.Token);
                stream = ssl;
            }
            await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /version HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"), timeout.Token);
            using var answer = new MemoryStream();
            await stream.CopyToAsync(answer, timeout.Token);
            // The status line and the body (etcd's version JSON names "etcdserver"), without the headers.
            var text = Encoding.UTF8.GetString(answer.ToArray());
            if (text.Length == 0) return "(closed without an answer)";
            var body = text.IndexOf("\r\n\r\n", StringComparison.Ordinal) is var end and >= 0 ? text[(end + 4)..] : "";
            var answerLine = (text.Split("\r\n")[0] + " " + body).ReplaceLineEndings(" ");
            return answerLine[..Math.Min(answerLine.Length, 200)];
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            return "refused: " + (e.InnerException ?? e).Message;
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }
}
