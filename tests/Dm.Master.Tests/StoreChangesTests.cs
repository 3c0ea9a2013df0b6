using System.Text;
using Dm.ClusterState;
using Dm.ClusterState.Etcd;
using Dm.Master.State;
using Dm.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dm.Master.Tests;

/// <summary>
/// The master's watch loops (scheduler, worker hub) on a real etcd: a watch whose history was compacted under it (a
/// write of secrets compacts at once) wakes its consumer to re-read and goes on watching from the current revision.
/// </summary>
public sealed class StoreChangesTests(EtcdFixture etcd) : IClassFixture<EtcdFixture>
{
    [Fact]
    public async Task A_watch_survives_a_compaction_under_it()
    {
        await using var store = EtcdClusterStore.Open(new EtcdClusterStoreOptions
        {
            Endpoints = [etcd.Server.ClientUrl],
            DialTimeout = TimeSpan.FromSeconds(2),
            RequestTimeout = TimeSpan.FromSeconds(5),
        });
        string prefix = "/store-changes-test/" + Guid.NewGuid().ToString("N") + "/";
        // The watcher read the state at this revision; before its watch starts, writes land and history is compacted
        // past it (what happens when a source's password is replaced meanwhile).
        long readAt = await store.GetRevisionAsync();
        await store.PutAsync(prefix + "a", Encoding.UTF8.GetBytes("1"));
        await store.CompactAsync(await store.GetRevisionAsync());

        var woken = new SemaphoreSlim(0);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        StoreChanges.Follow(store, [prefix], readAt, () => woken.Release(), NullLogger.Instance, cts.Token);
        Assert.True(await woken.WaitAsync(TimeSpan.FromSeconds(10)), "the compacted watch did not wake its consumer to re-read");
        while (await woken.WaitAsync(TimeSpan.FromMilliseconds(300))) { }

        // It watches on: later changes still wake the consumer.
        await store.PutAsync(prefix + "b", Encoding.UTF8.GetBytes("2"));
        Assert.True(await woken.WaitAsync(TimeSpan.FromSeconds(10)), "the watch ended at the compaction: a later change was not seen");
        await cts.CancelAsync();
    }
}
