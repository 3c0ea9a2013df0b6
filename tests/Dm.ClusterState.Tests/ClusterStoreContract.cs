using System.Text;

namespace Dm.ClusterState.Tests;

/// <summary>
/// The semantics every <see cref="IClusterStore"/> must have (etcd's). Derive once per implementation:
/// give a fresh store and a way to reopen it. All keys live under a per-test prefix and revisions are
/// checked relative to what the test observed, so a shared server (etcd) works too.
/// </summary>
public abstract class ClusterStoreContract : IAsyncLifetime
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>A new, empty store (or a fresh namespace of a shared one).</summary>
    protected abstract Task<IClusterStore> CreateStoreAsync();

    /// <summary>Closes <paramref name="store"/> and opens the same state again (restart / reconnect).</summary>
    protected abstract Task<IClusterStore> ReopenAsync(IClusterStore store);

    /// <summary>
    /// The lease TTL of the expiry tests, which wait a few of these: etcd's shortest with its default 1s election
    /// timeout (it raises shorter ones), and long enough that a keepalive every third of it survives a busy 2-core
    /// machine (1s made the SQLite run flaky beside the etcd tests).
    /// </summary>
    protected virtual long ShortTtlSeconds => 2;

    protected IClusterStore Store { get; private set; } = null!;

    /// <summary>This test's key prefix.</summary>
    protected string P { get; } = $"/contract/{Guid.NewGuid():N}/";

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual async Task DisposeAsync() => await Store.DisposeAsync();

    protected static async Task<List<WatchEvent>> CollectAsync(IClusterStore store, string prefix, long afterRevision, int count)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var events = new List<WatchEvent>();
        try
        {
            await foreach (var e in store.WatchAsync(prefix, afterRevision, cts.Token))
            {
                events.Add(e);
                if (events.Count == count)
                    break;
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"watch of '{prefix}' after {afterRevision} delivered {events.Count} of {count} events in {Timeout}");
        }
        return events;
    }

    private async Task<bool> HoldsAsync(Compare compare)
        => (await Store.TxnAsync([compare], [], [])).Succeeded;

    private async Task WaitUntilGoneAsync(string key)
    {
        var current = await Store.GetAsync(key);
        if (current.Kv is null)
            return;
        var events = await CollectAsync(Store, key, current.Revision, 1);
        Assert.Equal(WatchEventType.Delete, events[0].Type);
        Assert.Equal(key, events[0].Kv.Key);
    }

    [Fact]
    public async Task Put_assigns_revision_version_and_create_revision()
    {
        long r0 = await Store.GetRevisionAsync();
        long r1 = await Store.PutAsync(P + "a", "1");
        Assert.Equal(r0 + 1, r1);
        var kv = (await Store.GetAsync(P + "a")).Kv!;
        Assert.Equal((P + "a", "1", r1, r1, 1L, 0L), (kv.Key, kv.ValueString, kv.CreateRevision, kv.ModRevision, kv.Version, kv.LeaseId));

        long r2 = await Store.PutAsync(P + "a", "2");
        Assert.Equal(r1 + 1, r2);
        kv = (await Store.GetAsync(P + "a")).Kv!;
        Assert.Equal(("2", r1, r2, 2L), (kv.ValueString, kv.CreateRevision, kv.ModRevision, kv.Version));

        Assert.Equal(1, await Store.DeleteAsync(P + "a"));
        var afterDelete = await Store.GetAsync(P + "a");
        Assert.Null(afterDelete.Kv);
        Assert.Equal(r2 + 1, afterDelete.Revision);
        Assert.Equal(r2 + 1, await Store.GetRevisionAsync());

        long r4 = await Store.PutAsync(P + "a", "3");
        kv = (await Store.GetAsync(P + "a")).Kv!;
        Assert.Equal((r2 + 2, r4, r4, 1L), (r4, kv.CreateRevision, kv.ModRevision, kv.Version));
    }

    [Fact]
    public async Task Reads_and_deletes_of_nothing_do_not_advance_the_revision()
    {
        await Store.PutAsync(P + "k", "v");
        long r = await Store.GetRevisionAsync();
        Assert.Equal(r, (await Store.GetAsync(P + "k")).Revision);
        Assert.Equal(r, (await Store.GetPrefixAsync(P)).Revision);
        Assert.Equal(0, await Store.DeleteAsync(P + "missing"));
        Assert.Equal(0, await Store.DeletePrefixAsync(P + "missing/"));
        var failed = await Store.TxnAsync([Compare.Exists(P + "missing")], [TxnOp.Put(P + "x", "y")]);
        Assert.False(failed.Succeeded);
        Assert.Equal(r, failed.Revision);
        var readOnly = await Store.TxnAsync([], [TxnOp.Get(P + "k"), TxnOp.GetPrefix(P)]);
        Assert.Equal(r, readOnly.Revision);
        Assert.Equal(r, await Store.GetRevisionAsync());
    }

    [Fact]
    public async Task GetPrefix_returns_only_the_prefix_in_byte_order()
    {
        foreach (string k in new[] { "b", "ab", "a/x", "a" })
            await Store.PutAsync(P + k, k);
        await Store.PutAsync(P.TrimEnd('/') + "X", "outside");
        long r = await Store.GetRevisionAsync();

        var underA = await Store.GetPrefixAsync(P + "a");
        Assert.Equal(new[] { "a", "a/x", "ab" }, underA.Kvs.Select(kv => kv.Key[P.Length..]));
        Assert.Equal(r, underA.Revision);
        var all = await Store.GetPrefixAsync(P);
        Assert.Equal(new[] { "a", "a/x", "ab", "b" }, all.Kvs.Select(kv => kv.ValueString));
        Assert.Empty((await Store.GetPrefixAsync(P + "c")).Kvs);
    }

    [Fact]
    public async Task Values_are_bytes_and_keys_may_be_any_text()
    {
        byte[] bytes = [0, 255, 1, 0x80, 0];
        await Store.PutAsync(P + "bin", bytes);
        Assert.Equal(bytes, (await Store.GetAsync(P + "bin")).Kv!.Value);
        await Store.PutAsync(P + "ключ/表", "значение");
        Assert.Equal("значение", await Store.GetStringAsync(P + "ключ/表"));
        Assert.Equal([P + "ключ/表"], (await Store.GetPrefixAsync(P + "ключ/")).Kvs.Select(kv => kv.Key));
        await Store.PutAsync(P + "empty", Array.Empty<byte>());
        Assert.Empty((await Store.GetAsync(P + "empty")).Kv!.Value);
    }

    [Fact]
    public async Task DeletePrefix_deletes_every_key_under_it_in_one_revision()
    {
        foreach (string k in new[] { "d/1", "d/2", "d/3/x", "e" })
            await Store.PutAsync(P + k, "v");
        long before = await Store.GetRevisionAsync();
        Assert.Equal(3, await Store.DeletePrefixAsync(P + "d/"));
        Assert.Equal(before + 1, await Store.GetRevisionAsync());
        Assert.Equal([P + "e"], (await Store.GetPrefixAsync(P)).Kvs.Select(kv => kv.Key));
        var events = await CollectAsync(Store, P, before, 3);
        Assert.All(events, e => Assert.Equal((WatchEventType.Delete, before + 1), (e.Type, e.Revision)));
    }

    [Fact]
    public async Task Txn_compares_choose_the_branch()
    {
        string key = P + "cas";
        var created = await Store.TxnAsync([Compare.NotExists(key)], [TxnOp.Put(key, "v1")], [TxnOp.Get(key)]);
        Assert.True(created.Succeeded);
        long r = created.Revision;
        var again = await Store.TxnAsync([Compare.NotExists(key)], [TxnOp.Put(key, "other")], [TxnOp.Get(key)]);
        Assert.False(again.Succeeded);
        Assert.Equal("v1", again.Results[0].Kvs.Single().ValueString);
        Assert.Equal(r, again.Revision);

        Assert.True(await HoldsAsync(Compare.Exists(key)));
        Assert.True(await HoldsAsync(Compare.Version(key, CompareOp.Equal, 1)));
        Assert.False(await HoldsAsync(Compare.Version(key, CompareOp.Greater, 1)));
        Assert.True(await HoldsAsync(Compare.Version(key, CompareOp.Less, 2)));
        Assert.True(await HoldsAsync(Compare.Version(key, CompareOp.NotEqual, 0)));
        Assert.True(await HoldsAsync(Compare.CreateRevision(key, CompareOp.Equal, r)));
        Assert.True(await HoldsAsync(Compare.ModRevision(key, CompareOp.Equal, r)));
        Assert.False(await HoldsAsync(Compare.ModRevision(key, CompareOp.Less, r)));
        Assert.True(await HoldsAsync(Compare.ModRevision(key, CompareOp.Greater, r - 1)));
        Assert.True(await HoldsAsync(Compare.Value(key, CompareOp.Equal, "v1")));
        Assert.True(await HoldsAsync(Compare.Value(key, CompareOp.NotEqual, "v2")));
        Assert.True(await HoldsAsync(Compare.Value(key, CompareOp.Greater, "v0")));
        Assert.True(await HoldsAsync(Compare.Value(key, CompareOp.Less, "v10")));
        Assert.True(await HoldsAsync(Compare.Lease(key, CompareOp.Equal, 0)));

        // A missing key: numbers compare as 0, any value comparison fails.
        string missing = P + "missing";
        Assert.True(await HoldsAsync(Compare.NotExists(missing)));
        Assert.True(await HoldsAsync(Compare.Version(missing, CompareOp.Equal, 0)));
        Assert.False(await HoldsAsync(Compare.Value(missing, CompareOp.Equal, "")));
        Assert.False(await HoldsAsync(Compare.Value(missing, CompareOp.NotEqual, "x")));

        // All compares must hold.
        var mixed = await Store.TxnAsync([Compare.Exists(key), Compare.Value(key, CompareOp.Equal, "nope")],
            [TxnOp.Put(key, "then")], [TxnOp.Put(key, "else")]);
        Assert.False(mixed.Succeeded);
        Assert.Equal("else", await Store.GetStringAsync(key));
        Assert.Equal(r + 1, mixed.Revision);
    }

    [Fact]
    public async Task Txn_writes_share_one_revision_and_return_op_results()
    {
        await Store.PutAsync(P + "z", "old");
        long before = await Store.GetRevisionAsync();
        var txn = await Store.TxnAsync([],
            [TxnOp.Put(P + "x", "1"), TxnOp.Put(P + "y", "2"), TxnOp.Get(P + "x"), TxnOp.Delete(P + "z"), TxnOp.GetPrefix(P)]);
        Assert.True(txn.Succeeded);
        Assert.Equal(before + 1, txn.Revision);
        Assert.Empty(txn.Results[0].Kvs);
        Assert.Equal("1", txn.Results[2].Kvs.Single().ValueString);
        Assert.Equal(1, txn.Results[3].Deleted);
        Assert.Equal(new[] { P + "x", P + "y" }, txn.Results[4].Kvs.Select(kv => kv.Key));
        Assert.All(txn.Results[4].Kvs, kv => Assert.Equal(before + 1, kv.ModRevision));

        var events = await CollectAsync(Store, P, before, 3);
        Assert.Equal(new[] { (WatchEventType.Put, P + "x"), (WatchEventType.Put, P + "y"), (WatchEventType.Delete, P + "z") },
            events.Select(e => (e.Type, e.Kv.Key)));
        Assert.All(events, e => Assert.Equal(before + 1, e.Revision));
    }

    [Fact]
    public async Task Txn_branches_that_write_a_key_twice_are_rejected_in_either_branch()
    {
        await Store.PutAsync(P + "k", "v");
        long before = await Store.GetRevisionAsync();
        TxnOp[][] invalid =
        [
            [TxnOp.Put(P + "a", "1"), TxnOp.Put(P + "a", "2")],
            [TxnOp.Put(P + "a", "1"), TxnOp.Delete(P + "a")],
            [TxnOp.DeletePrefix(P), TxnOp.Put(P + "a", "1")],
        ];
        foreach (var ops in invalid)
        {
            await Assert.ThrowsAsync<ArgumentException>(() => Store.TxnAsync([], ops));
            // Checked even when the branch would not run (etcd validates the request before evaluating it).
            await Assert.ThrowsAsync<ArgumentException>(() => Store.TxnAsync([Compare.Exists(P + "k")], [], ops));
        }
        Assert.Equal(before, await Store.GetRevisionAsync());

        // Deletes may overlap: the first one deletes, the second finds nothing.
        var deletes = await Store.TxnAsync([], [TxnOp.Delete(P + "k"), TxnOp.Delete(P + "k"), TxnOp.DeletePrefix(P)]);
        Assert.Equal(new long[] { 1, 0, 0 }, deletes.Results.Select(r => r.Deleted));
        Assert.Equal(before + 1, deletes.Revision);
    }

    [Fact]
    public async Task Empty_keys_are_rejected()
    {
        long before = await Store.GetRevisionAsync();
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.GetAsync(""));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.PutAsync("", "v"));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.DeleteAsync(""));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.TxnAsync([], [TxnOp.Get(P + "a"), TxnOp.Put("", "v")]));
        Assert.Equal(before, await Store.GetRevisionAsync());
    }

    [Fact]
    public async Task Puts_on_a_missing_lease_are_rejected_and_write_nothing()
    {
        long before = await Store.GetRevisionAsync();
        await Assert.ThrowsAsync<LeaseNotFoundException>(() => Store.PutAsync(P + "a", "v", leaseId: 0x7abc_dead_beef));
        await Assert.ThrowsAsync<LeaseNotFoundException>(() =>
            Store.TxnAsync([], [TxnOp.Put(P + "b", "v"), TxnOp.Put(P + "c", "v", 0x7abc_dead_beef)]));
        Assert.Empty((await Store.GetPrefixAsync(P)).Kvs);
        Assert.Equal(before, await Store.GetRevisionAsync());
    }

    [Fact]
    public async Task Watch_replays_history_after_a_revision_then_follows_live_changes()
    {
        long r0 = await Store.GetRevisionAsync();
        await Store.PutAsync(P + "a", "1");
        await Store.PutAsync(P + "a", "2");
        await Store.DeleteAsync(P + "a");
        await Store.PutAsync(P + "b", "1");

        var watching = CollectAsync(Store, P, r0, 6);
        await Task.Delay(200);
        await Store.PutAsync(P + "c", "1");
        await Store.DeleteAsync(P + "b");
        var events = await watching;

        Assert.Equal(Enumerable.Range(1, 6).Select(i => r0 + i), events.Select(e => e.Revision));
        Assert.Equal(new[] { "put a 1", "put a 2", "delete a ", "put b 1", "put c 1", "delete b " },
            events.Select(e => $"{e.Type.ToString().ToLowerInvariant()} {e.Kv.Key[P.Length..]} {e.Kv.ValueString}"));
        Assert.Null(events[0].PrevKv);
        Assert.Equal("1", events[1].PrevKv?.ValueString);
        Assert.Equal(2, events[1].Kv.Version);
        Assert.Equal("2", events[2].PrevKv?.ValueString);
        Assert.Equal(r0 + 1, events[2].PrevKv?.CreateRevision);
        Assert.Equal("1", events[5].PrevKv?.ValueString);

        var fromMiddle = await CollectAsync(Store, P, r0 + 2, 1);
        Assert.Equal((WatchEventType.Delete, r0 + 3), (fromMiddle[0].Type, fromMiddle[0].Revision));
    }

    [Fact]
    public async Task Watch_replays_a_long_history_without_gaps_or_repeats()
    {
        long r0 = await Store.GetRevisionAsync();
        const int Txns = 100, PutsPerTxn = 7;
        for (int t = 0; t < Txns; t++)
            await Store.TxnAsync([], [.. Enumerable.Range(0, PutsPerTxn).Select(i => TxnOp.Put($"{P}{i}", t.ToString()))]);
        var events = await CollectAsync(Store, P, r0, Txns * PutsPerTxn);
        Assert.Equal(
            Enumerable.Range(0, Txns).SelectMany(t => Enumerable.Range(0, PutsPerTxn).Select(i => (r0 + 1 + t, $"{P}{i}", t.ToString()))),
            events.Select(e => (e.Revision, e.Kv.Key, e.Kv.ValueString)));
    }

    [Fact]
    public async Task Watch_delivers_only_keys_under_its_prefix()
    {
        long r0 = await Store.GetRevisionAsync();
        var watching = CollectAsync(Store, P + "w/", r0, 2);
        await Store.PutAsync(P + "other", "x");
        await Store.PutAsync(P + "w", "x");
        await Store.PutAsync(P + "w/1", "x");
        await Store.PutAsync(P + "wx", "x");
        await Store.DeleteAsync(P + "w/1");
        var events = await watching;
        Assert.Equal(new[] { (WatchEventType.Put, P + "w/1"), (WatchEventType.Delete, P + "w/1") }, events.Select(e => (e.Type, e.Kv.Key)));
        Assert.Equal(new[] { r0 + 3, r0 + 5 }, events.Select(e => e.Revision));
    }

    [Fact]
    public async Task Many_watchers_each_see_every_change_in_order()
    {
        long r0 = await Store.GetRevisionAsync();
        var watchers = Enumerable.Range(0, 4).Select(_ => CollectAsync(Store, P, r0, 50)).ToList();
        await Task.WhenAll(Enumerable.Range(0, 5).Select(async writer =>
        {
            for (int i = 0; i < 10; i++)
                await Store.PutAsync($"{P}{writer}/{i}", "v");
        }));
        foreach (var events in await Task.WhenAll(watchers))
        {
            Assert.Equal(Enumerable.Range(1, 50).Select(i => r0 + i), events.Select(e => e.Revision));
            Assert.Equal(50, events.Select(e => e.Kv.Key).Distinct().Count());
        }
    }

    [Fact]
    public async Task Compaction_makes_older_watches_fail_and_keeps_newer_history()
    {
        long r0 = await Store.GetRevisionAsync();
        for (int i = 0; i < 5; i++)
            await Store.PutAsync(P + "k", i.ToString());
        await Store.CompactAsync(r0 + 3);

        var ex = await Assert.ThrowsAsync<CompactedRevisionException>(() => CollectAsync(Store, P, r0 + 1, 1));
        Assert.True(ex.CompactRevision >= r0 + 3);
        // The compacted revision itself is gone too: a watch needing it fails rather than missing part of it.
        await Assert.ThrowsAsync<CompactedRevisionException>(() => CollectAsync(Store, P, r0 + 2, 1));
        var kept = await CollectAsync(Store, P, r0 + 3, 2);
        Assert.Equal(new[] { "3", "4" }, kept.Select(e => e.Kv.ValueString));
        Assert.Equal("4", await Store.GetStringAsync(P + "k"));

        await Assert.ThrowsAsync<CompactedRevisionException>(() => Store.CompactAsync(r0 + 2));
        await Assert.ThrowsAsync<FutureRevisionException>(() => Store.CompactAsync(r0 + 1000));
    }

    [Fact]
    public async Task Revoking_a_lease_deletes_its_keys_with_delete_events()
    {
        long lease = await Store.GrantLeaseAsync(60);
        Assert.NotEqual(0, lease);
        var info = await Store.GetLeaseAsync(lease);
        Assert.NotNull(info);
        Assert.Equal(60, info.GrantedTtlSeconds);
        Assert.InRange(info.RemainingTtlSeconds, 50, 60);

        await Store.PutAsync(P + "l1", "v", lease);
        await Store.PutAsync(P + "l2", "v", lease);
        await Store.PutAsync(P + "free", "v");
        Assert.Equal(lease, (await Store.GetAsync(P + "l1")).Kv!.LeaseId);
        long before = await Store.GetRevisionAsync();

        await Store.RevokeLeaseAsync(lease);
        Assert.Equal([P + "free"], (await Store.GetPrefixAsync(P)).Kvs.Select(kv => kv.Key));
        var events = await CollectAsync(Store, P, before, 2);
        Assert.Equal(new[] { P + "l1", P + "l2" }, events.Select(e => e.Kv.Key).Order());
        Assert.All(events, e => Assert.Equal((WatchEventType.Delete, before + 1), (e.Type, e.Revision)));

        Assert.Null(await Store.GetLeaseAsync(lease));
        await Assert.ThrowsAsync<LeaseNotFoundException>(() => Store.RevokeLeaseAsync(lease));
        await Assert.ThrowsAsync<LeaseNotFoundException>(() => Store.KeepAliveOnceAsync(lease));
        await Assert.ThrowsAsync<LeaseNotFoundException>(() => Store.PutAsync(P + "l3", "v", lease));
    }

    [Fact]
    public async Task Putting_without_a_lease_detaches_the_key_from_it()
    {
        long lease = await Store.GrantLeaseAsync(60);
        await Store.PutAsync(P + "k", "leased", lease);
        await Store.PutAsync(P + "k", "kept");
        await Store.RevokeLeaseAsync(lease);
        Assert.Equal("kept", await Store.GetStringAsync(P + "k"));
        Assert.Equal(0, (await Store.GetAsync(P + "k")).Kv!.LeaseId);
    }

    [Fact]
    public async Task An_expired_lease_deletes_its_keys()
    {
        long lease = await Store.GrantLeaseAsync(ShortTtlSeconds);
        await Store.PutAsync(P + "ephemeral", "v", lease);
        await WaitUntilGoneAsync(P + "ephemeral");
        Assert.Null(await Store.GetLeaseAsync(lease));
        await Assert.ThrowsAsync<LeaseNotFoundException>(() => Store.KeepAliveOnceAsync(lease));
    }

    [Fact]
    public async Task Keepalive_extends_a_lease_until_it_stops()
    {
        long lease = await Store.GrantLeaseAsync(ShortTtlSeconds);
        await Store.PutAsync(P + "alive", "v", lease);
        Assert.Equal(ShortTtlSeconds, await Store.KeepAliveOnceAsync(lease));
        await using (var keeper = await LeaseKeeper.StartAsync(Store, lease))
        {
            await Task.Delay(TimeSpan.FromSeconds(ShortTtlSeconds * 3));
            Assert.False(keeper.IsLost);
            Assert.NotNull((await Store.GetAsync(P + "alive")).Kv);
        }
        await WaitUntilGoneAsync(P + "alive");
    }

    [Fact]
    public async Task LeaseKeeper_reports_a_revoked_lease_as_lost()
    {
        await using var keeper = await LeaseKeeper.GrantAsync(Store, ShortTtlSeconds * 3);
        await Store.RevokeLeaseAsync(keeper.LeaseId);
        await Task.Delay(Timeout, keeper.LostToken).ContinueWith(_ => { });
        Assert.True(keeper.IsLost);
        Assert.IsType<LeaseNotFoundException>(keeper.LostReason);
        await Assert.ThrowsAsync<LeaseNotFoundException>(() => LeaseKeeper.StartAsync(Store, keeper.LeaseId));
    }

    [Fact]
    public async Task Election_leads_in_campaign_order_and_hands_over_on_resign()
    {
        var election = new Election(Store, P + "leader");
        long[] leases = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Store.GrantLeaseAsync(60)));
        Assert.Null(await election.GetLeaderAsync());

        var a = await election.CampaignAsync(leases[0], "A");
        Assert.Equal("A", (await election.GetLeaderAsync())!.ValueString);
        using var observeCts = new CancellationTokenSource(Timeout);
        var observed = election.ObserveAsync(observeCts.Token).GetAsyncEnumerator(observeCts.Token);
        Assert.True(await observed.MoveNextAsync());
        Assert.Equal("A", observed.Current.ValueString);

        var b = election.CampaignAsync(leases[1], "B");
        await Task.Delay(200);
        var c = election.CampaignAsync(leases[2], "C");
        await Task.Delay(300);
        Assert.False(b.IsCompleted);
        Assert.False(c.IsCompleted);

        await a.ResignAsync();
        Assert.False(await a.IsLeaderAsync());
        var bLeadership = await b.WaitAsync(Timeout);
        Assert.True(await bLeadership.IsLeaderAsync());
        Assert.False(c.IsCompleted);
        Assert.True(await observed.MoveNextAsync());
        Assert.Equal("B", observed.Current.ValueString);

        await bLeadership.ProclaimAsync("B2");
        Assert.True(await observed.MoveNextAsync());
        Assert.Equal("B2", observed.Current.ValueString);

        await bLeadership.ResignAsync();
        var cLeadership = await c.WaitAsync(Timeout);
        Assert.Equal("C", (await election.GetLeaderAsync())!.ValueString);
        Assert.Equal(election.KeyFor(leases[2]), cLeadership.Key);
        await Assert.ThrowsAsync<LeadershipLostException>(() => bLeadership.ProclaimAsync("stale"));
        await observed.DisposeAsync();
    }

    [Fact]
    public async Task Election_fails_over_when_the_leaders_lease_expires()
    {
        var election = new Election(Store, P + "leader");
        long shortLease = await Store.GrantLeaseAsync(ShortTtlSeconds);
        await using var keeper = await LeaseKeeper.GrantAsync(Store, 60);

        var a = await election.CampaignAsync(shortLease, "A");
        var b = election.CampaignAsync(keeper.LeaseId, "B");
        await a.WaitLostAsync().WaitAsync(Timeout);
        var bLeadership = await b.WaitAsync(Timeout);
        Assert.Equal("B", (await election.GetLeaderAsync())!.ValueString);
        Assert.False(await a.IsLeaderAsync());
        Assert.True(await bLeadership.IsLeaderAsync());
    }

    [Fact]
    public async Task Cancelling_a_campaign_withdraws_the_candidate()
    {
        var election = new Election(Store, P + "leader");
        long leaseA = await Store.GrantLeaseAsync(60), leaseB = await Store.GrantLeaseAsync(60), leaseC = await Store.GrantLeaseAsync(60);
        var a = await election.CampaignAsync(leaseA, "A");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => election.CampaignAsync(leaseB, "B", cts.Token));
        Assert.Equal([election.KeyFor(leaseA)], (await Store.GetPrefixAsync(P + "leader/")).Kvs.Select(kv => kv.Key));

        var c = election.CampaignAsync(leaseC, "C");
        await a.ResignAsync();
        Assert.Equal(election.KeyFor(leaseC), (await c.WaitAsync(Timeout)).Key);
    }

    [Fact]
    public async Task Campaigning_on_a_lease_that_expires_while_waiting_fails()
    {
        var election = new Election(Store, P + "leader");
        long longLease = await Store.GrantLeaseAsync(60), shortLease = await Store.GrantLeaseAsync(ShortTtlSeconds);
        var a = await election.CampaignAsync(longLease, "A");
        await Assert.ThrowsAsync<LeadershipLostException>(() => election.CampaignAsync(shortLease, "B").WaitAsync(Timeout));
        Assert.True(await a.IsLeaderAsync());
    }

    [Fact]
    public async Task Parallel_compare_and_swap_increments_are_linearizable()
    {
        string counter = P + "counter";
        const int Workers = 8, IncrementsEach = 25;
        var commitRevisions = new System.Collections.Concurrent.ConcurrentBag<long>();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            for (int done = 0; done < IncrementsEach;)
            {
                var current = (await Store.GetAsync(counter)).Kv;
                long value = current is null ? 0 : long.Parse(current.ValueString);
                var guard = current is null ? Compare.NotExists(counter) : Compare.ModRevision(counter, CompareOp.Equal, current.ModRevision);
                var txn = await Store.TxnAsync([guard], [TxnOp.Put(counter, (value + 1).ToString())]);
                if (txn.Succeeded)
                {
                    commitRevisions.Add(txn.Revision);
                    done++;
                }
            }
        })));
        var final = (await Store.GetAsync(counter)).Kv!;
        Assert.Equal(Workers * IncrementsEach, long.Parse(final.ValueString));
        Assert.Equal(Workers * IncrementsEach, final.Version);
        Assert.Equal(Workers * IncrementsEach, commitRevisions.Distinct().Count());
    }

    [Fact]
    public async Task Reopening_keeps_keys_and_revisions()
    {
        await Store.PutAsync(P + "a", "1");
        await Store.PutAsync(P + "b", Encoding.UTF8.GetBytes("2"));
        long r = await Store.GetRevisionAsync();
        Store = await ReopenAsync(Store);
        Assert.True(await Store.GetRevisionAsync() >= r);
        Assert.Equal(new[] { "1", "2" }, (await Store.GetPrefixAsync(P)).Kvs.Select(kv => kv.ValueString));
        Assert.True(await Store.PutAsync(P + "c", "3") > r);
    }
}
