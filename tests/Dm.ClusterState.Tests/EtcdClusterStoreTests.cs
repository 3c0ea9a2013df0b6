using System.Diagnostics;
using Dm.ClusterState.Etcd;
using Dm.TestKit;

namespace Dm.ClusterState.Tests;

/// <summary>
/// What only the etcd store has: its options, etcd's own limits and errors, and losing etcd members. Tests that
/// kill, freeze or restart a member start their own etcd (or three-member cluster); the others share one.
/// </summary>
public sealed class EtcdClusterStoreTests(EtcdFixture etcd) : IClassFixture<EtcdFixture>
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    private readonly string _p = $"/etcd-store/{Guid.NewGuid():N}/";

    private static EtcdClusterStoreOptions OptionsFor(IReadOnlyList<string> endpoints, double requestTimeoutSeconds = 2) => new()
    {
        Endpoints = endpoints,
        DialTimeout = TimeSpan.FromSeconds(1),
        RequestTimeout = TimeSpan.FromSeconds(requestTimeoutSeconds),
    };

    [Fact]
    public void Endpoints_are_http_or_https_urls_or_host_and_port()
    {
        Assert.Equal(new EtcdEndpoint("127.0.0.1", 2379), EtcdEndpoint.Parse("127.0.0.1:2379"));
        Assert.Equal(new EtcdEndpoint("localhost", 23790), EtcdEndpoint.Parse("http://localhost:23790"));
        Assert.Equal(new EtcdEndpoint("::1", 2379), EtcdEndpoint.Parse(" http://[::1]:2379/ "));
        Assert.Equal(new EtcdEndpoint("127.0.0.1", 2379, Secure: true), EtcdEndpoint.Parse("https://127.0.0.1:2379"));
        (string Text, string Reason)[] refused =
        [
            ("unixs://etcd.sock", "not an http"), ("127.0.0.1", "no port"), ("http://127.0.0.1", "no port"),
            ("http://127.0.0.1:2379/v3", "only scheme, host and port"), ("grpc://127.0.0.1:2379", "not an http"),
        ];
        foreach (var (text, reason) in refused)
            Assert.Contains(reason, Assert.Throws<ArgumentException>(() => EtcdEndpoint.Parse(text)).Message);
    }

    [Fact]
    public void Options_without_endpoints_or_with_a_zero_timeout_are_refused()
    {
        Assert.Throws<ArgumentException>(() => EtcdClusterStore.Open(new EtcdClusterStoreOptions { Endpoints = [] }));
        var zero = Assert.Throws<ArgumentException>(() => EtcdClusterStore.Open(
            new EtcdClusterStoreOptions { Endpoints = ["127.0.0.1:2379"], RequestTimeout = TimeSpan.Zero }));
        Assert.Contains(nameof(EtcdClusterStoreOptions.RequestTimeout), zero.Message);
    }

    [Fact]
    public async Task Https_endpoints_need_tls_options_and_http_ones_refuse_them()
    {
        var tls = new System.Net.Security.SslClientAuthenticationOptions();
        (string[] Endpoints, System.Net.Security.SslClientAuthenticationOptions? Tls, string Reason)[] refused =
        [
            (["https://127.0.0.1:2379"], null, "needs a CA"),
            (["http://127.0.0.1:2379"], tls, "must be https"),
            (["https://127.0.0.1:2379", "127.0.0.1:2380"], tls, "mix http and https"),
        ];
        foreach (var (endpoints, options, reason) in refused)
            Assert.Contains(reason, Assert.Throws<ArgumentException>(() => EtcdClusterStore.Open(new EtcdClusterStoreOptions { Endpoints = endpoints, Tls = options })).Message);
        await using var store = EtcdClusterStore.Open(new EtcdClusterStoreOptions { Endpoints = ["https://127.0.0.1:2379"], Tls = tls });
        Assert.True(store.Endpoints[0].Secure);
    }

    [Fact]
    public async Task Connecting_to_nothing_fails_within_the_dial_timeout()
    {
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<ClusterStoreUnavailableException>(() => EtcdClusterStore.ConnectAsync(OptionsFor([$"127.0.0.1:{FreePort.Next()}"])));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1) + Slack, $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Etcd_limits_are_argument_errors_and_write_nothing()
    {
        await using var store = EtcdClusterStore.Open(OptionsFor([etcd.Server.ClientUrl]));
        long before = await store.GetRevisionAsync();
        // etcd's --max-txn-ops (128 by default).
        var tooMany = await Assert.ThrowsAsync<ArgumentException>(() =>
            store.TxnAsync([], [.. Enumerable.Range(0, 129).Select(i => TxnOp.Put($"{_p}{i}", "v"))]));
        Assert.Contains("too many operations", tooMany.Message);
        // etcd's --max-request-bytes (1.5 MiB by default), and its gRPC server's limit 512 KiB above that.
        var tooLarge = await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(_p + "big", new byte[1800 * 1024]));
        Assert.Contains("request is too large", tooLarge.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(_p + "bigger", new byte[3 * 1024 * 1024]));
        Assert.Equal(before, await store.GetRevisionAsync());
    }

    [Fact]
    public async Task A_second_compaction_at_an_older_revision_says_where_history_starts()
    {
        await using var store = EtcdClusterStore.Open(OptionsFor([etcd.Server.ClientUrl]));
        long r1 = await store.PutAsync(_p + "k", "1");
        long r2 = await store.PutAsync(_p + "k", "2");
        await store.CompactAsync(r2);
        var again = await Assert.ThrowsAsync<CompactedRevisionException>(() => store.CompactAsync(r1));
        Assert.Equal(r2, again.CompactRevision);
        var future = await Assert.ThrowsAsync<FutureRevisionException>(() => store.CompactAsync(r2 + 1000));
        Assert.Contains($"current revision is {r2}", future.Message);
    }

    [Fact]
    public async Task A_killed_member_fails_requests_within_the_deadline_and_serves_again_after_restart()
    {
        await using var server = await EtcdServer.StartAsync();
        await using var store = EtcdClusterStore.Open(OptionsFor([server.ClientUrl]));
        long written = await store.PutAsync(_p + "k", "before");

        server.Kill();
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<ClusterStoreUnavailableException>(() => store.GetAsync(_p + "k"));
        await Assert.ThrowsAsync<ClusterStoreUnavailableException>(() => store.PutAsync(_p + "k", "while down"));
        await Assert.ThrowsAsync<ClusterStoreUnavailableException>(() => store.KeepAliveOnceAsync(1));
        Assert.True(watch.Elapsed < 3 * TimeSpan.FromSeconds(2) + Slack, $"took {watch.Elapsed}");

        await server.RestartAsync();
        var kv = (await store.GetAsync(_p + "k")).Kv!;
        Assert.Equal(("before", written), (kv.ValueString, kv.ModRevision));
        Assert.Equal(written + 1, await store.PutAsync(_p + "k", "after"));
    }

    [Fact]
    public async Task A_frozen_member_does_not_hang_requests()
    {
        await using var server = await EtcdServer.StartAsync();
        await using var store = EtcdClusterStore.Open(OptionsFor([server.ClientUrl], requestTimeoutSeconds: 1));
        await store.PutAsync(_p + "k", "v");
        await server.FreezeAsync();
        try
        {
            var watch = Stopwatch.StartNew();
            await Assert.ThrowsAsync<ClusterStoreUnavailableException>(() => store.GetAsync(_p + "k"));
            await Assert.ThrowsAsync<ClusterStoreUnavailableException>(() => store.TxnAsync([], [TxnOp.Put(_p + "k", "w")]));
            Assert.True(watch.Elapsed < 2 * TimeSpan.FromSeconds(1) + Slack, $"took {watch.Elapsed}");
        }
        finally
        {
            server.Thaw();
        }
        Assert.NotNull((await store.GetAsync(_p + "k")).Kv);
    }

    [Fact]
    public async Task A_watch_resumes_across_a_restart_without_gaps_or_repeats()
    {
        await using var server = await EtcdServer.StartAsync();
        await using var store = EtcdClusterStore.Open(OptionsFor([server.ClientUrl], requestTimeoutSeconds: 20));
        long r0 = await store.GetRevisionAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var events = new List<WatchEvent>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in store.WatchAsync(_p, r0, cts.Token))
            {
                events.Add(e);
                if (events.Count == 6)
                    return;
            }
        });
        for (int i = 0; i < 3; i++)
            await store.PutAsync($"{_p}{i}", "v");
        await WaitForAsync(() => events.Count == 3);

        server.Kill();
        await server.RestartAsync();
        for (int i = 3; i < 6; i++)
            await store.PutAsync($"{_p}{i}", "v");
        await watching.WaitAsync(cts.Token);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => r0 + i), events.Select(e => e.Revision));
    }

    [Fact]
    public async Task A_watch_fails_once_no_member_answers_within_the_request_timeout()
    {
        await using var server = await EtcdServer.StartAsync();
        await using var store = EtcdClusterStore.Open(OptionsFor([server.ClientUrl]));
        long r0 = await store.GetRevisionAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var enumerator = store.WatchAsync(_p, r0, cts.Token).GetAsyncEnumerator(cts.Token);
        var next = enumerator.MoveNextAsync().AsTask();
        await store.PutAsync(_p + "a", "v");
        Assert.True(await next);

        next = enumerator.MoveNextAsync().AsTask();
        server.Kill();
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<ClusterStoreUnavailableException>(() => next);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2) + Slack, $"took {watch.Elapsed}");
        await enumerator.DisposeAsync();
    }

    [Fact]
    public async Task Three_members_serve_through_the_loss_of_each_one_in_turn()
    {
        await using var cluster = await EtcdServer.StartClusterAsync(3);
        await using var store = await EtcdClusterStore.ConnectAsync(OptionsFor(cluster.ClientUrls, requestTimeoutSeconds: 5));
        await using var keeper = await LeaseKeeper.GrantAsync(store, 10);
        await store.PutAsync(_p + "alive", "v", keeper.LeaseId);
        long r0 = await store.GetRevisionAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var events = new List<WatchEvent>();
        const int PerRound = 5, Rounds = 3;
        var watching = Task.Run(async () =>
        {
            await foreach (var e in store.WatchAsync(_p + "k/", r0, cts.Token))
            {
                events.Add(e);
                if (events.Count == PerRound * (Rounds + 1))
                    return;
            }
        });

        int written = 0;
        async Task WriteRoundAsync()
        {
            for (int i = 0; i < PerRound; i++, written++)
                await CreateOnceAsync(store, $"{_p}k/{written:D3}", cts.Token);
        }

        await WriteRoundAsync();
        for (int round = 0; round < Rounds; round++)
        {
            var member = cluster.Members[round];
            member.Kill();
            await WriteRoundAsync();
            Assert.False(keeper.IsLost, $"lease lost after member {member.Name} was killed: {keeper.LostReason}");
            await member.RestartAsync();
        }
        await watching.WaitAsync(cts.Token);

        Assert.Equal(Enumerable.Range(0, written).Select(i => $"{_p}k/{i:D3}"), events.Select(e => e.Kv.Key));
        Assert.Equal(events.Select(e => e.Revision).Order(), events.Select(e => e.Revision));
        Assert.False(keeper.IsLost);
        Assert.NotNull((await store.GetAsync(_p + "alive")).Kv);
    }

    [Fact]
    public async Task A_watch_moves_off_a_frozen_member()
    {
        await using var cluster = await EtcdServer.StartClusterAsync(3);
        await using var store = EtcdClusterStore.Open(OptionsFor(cluster.ClientUrls, requestTimeoutSeconds: 3) with
        {
            KeepAliveTime = TimeSpan.FromSeconds(5),
            KeepAliveTimeout = TimeSpan.FromSeconds(1),
        });
        long r0 = await store.GetRevisionAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var events = new List<WatchEvent>();
        const int Rounds = 3;
        var watching = Task.Run(async () =>
        {
            await foreach (var e in store.WatchAsync(_p, r0, cts.Token))
            {
                events.Add(e);
                if (events.Count == Rounds)
                    return;
            }
        });
        // Each member is frozen once, so whichever carries the watch is frozen under it at some point.
        for (int round = 0; round < Rounds; round++)
        {
            var member = cluster.Members[round];
            await member.FreezeAsync();
            try
            {
                await CreateOnceAsync(store, $"{_p}{round}", cts.Token);
                await WaitForAsync(() => events.Count == round + 1);
            }
            finally
            {
                member.Thaw();
            }
        }
        await watching.WaitAsync(cts.Token);
        Assert.Equal(Enumerable.Range(0, Rounds).Select(i => $"{_p}{i}"), events.Select(e => e.Kv.Key));
    }

    // Creates the key once: a request lost with its member is retried on another, and a retry of a create that
    // did commit finds the key, so each key is written exactly once whatever failed.
    private static async Task CreateOnceAsync(IClusterStore store, string key, CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await store.TxnAsync([Compare.NotExists(key)], [TxnOp.Put(key, "v")], null, ct);
                return;
            }
            catch (ClusterStoreUnavailableException) when (attempt < 10)
            {
                await Task.Delay(200, ct);
            }
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail("condition not met within 15s");
            await Task.Delay(20);
        }
    }
}
