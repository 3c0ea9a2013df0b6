using Dm.ClusterState.Sqlite;

namespace Dm.ClusterState.Tests;

/// <summary>
/// A deposed leader writes nothing: two candidates on one store, the first leads, its session ends behind its back
/// (as a leader paused past its lease finds on waking), the second takes over; the first one's writes are refused.
/// </summary>
public sealed class LeaderGuardedStoreTests : IAsyncLifetime
{
    private readonly TempDataDir _dir = new();
    private IClusterStore _store = null!;

    public Task InitializeAsync()
    {
        _store = SqliteClusterStore.Open(_dir.Path);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task The_leader_writes_and_reads_as_on_the_store_itself()
    {
        var (leader, _) = await CampaignAsync("a");
        var guarded = new LeaderGuardedStore(_store, () => leader);

        await guarded.PutAsync("/k", "1");
        Assert.Equal("1", (await _store.GetAsync("/k")).Kv!.ValueString);
        var missed = await guarded.TxnAsync([Compare.NotExists("/k")], [TxnOp.Put("/k", "2")], [TxnOp.Get("/k")]);
        Assert.False(missed.Succeeded);
        Assert.Equal("1", Assert.Single(Assert.Single(missed.Results).Kvs).ValueString);
        var hit = await guarded.TxnAsync([Compare.Exists("/k")], [TxnOp.Put("/k", "2")]);
        Assert.True(hit.Succeeded);
        Assert.Equal(1, await guarded.DeleteAsync("/k"));
        Assert.Equal(0, await guarded.DeleteAsync("/k"));
        await guarded.PutAsync("/p/1", "x");
        await guarded.PutAsync("/p/2", "x");
        Assert.Equal(2, await guarded.DeletePrefixAsync("/p/"));
    }

    [Fact]
    public async Task A_deposed_leader_changes_nothing_and_is_told_so()
    {
        var (first, firstLease) = await CampaignAsync("a");
        var deposed = new LeaderGuardedStore(_store, () => first);
        await deposed.PutAsync("/k", "first");

        await _store.RevokeLeaseAsync(firstLease); // its session expired while it was paused
        var (second, _) = await CampaignAsync("b");
        await new LeaderGuardedStore(_store, () => second).PutAsync("/k", "second");
        var revision = await _store.GetRevisionAsync();

        await Assert.ThrowsAsync<NotLeaderException>(() => deposed.PutAsync("/k", "stale"));
        await Assert.ThrowsAsync<NotLeaderException>(() => deposed.DeleteAsync("/k"));
        await Assert.ThrowsAsync<NotLeaderException>(() => deposed.DeletePrefixAsync("/"));
        await Assert.ThrowsAsync<NotLeaderException>(() => deposed.TxnAsync([Compare.Exists("/k")], [TxnOp.Put("/k", "stale")]));
        await Assert.ThrowsAsync<NotLeaderException>(() => deposed.TxnAsync([Compare.NotExists("/k")], [TxnOp.Put("/k", "stale")], [TxnOp.Get("/k")]));
        Assert.Equal("second", (await _store.GetAsync("/k")).Kv!.ValueString);
        Assert.Equal(revision, await _store.GetRevisionAsync());
    }

    [Fact]
    public async Task Without_a_won_election_every_write_is_refused_and_reads_pass()
    {
        await _store.PutAsync("/k", "1");
        var follower = new LeaderGuardedStore(_store, () => null);
        await Assert.ThrowsAsync<NotLeaderException>(() => follower.PutAsync("/k", "2"));
        Assert.Equal("1", (await follower.GetAsync("/k")).Kv!.ValueString);
    }

    [Fact]
    public async Task An_otherwise_branch_that_writes_is_refused_before_anything_runs()
    {
        var (leader, _) = await CampaignAsync("a");
        var guarded = new LeaderGuardedStore(_store, () => leader);
        var revision = await _store.GetRevisionAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => guarded.TxnAsync([Compare.Exists("/k")], [], [TxnOp.Put("/k", "1")]));
        Assert.Equal(revision, await _store.GetRevisionAsync());
    }

    private async Task<(Leadership Leadership, long Lease)> CampaignAsync(string name)
    {
        var lease = await _store.GrantLeaseAsync(60);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return (await new Election(_store, "/election").CampaignAsync(lease, name, cts.Token), lease);
    }
}
