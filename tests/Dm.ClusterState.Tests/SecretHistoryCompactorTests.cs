using System.Text;
using Dm.ClusterState.Etcd;
using Dm.ClusterState.Sqlite;
using Dm.TestKit;

namespace Dm.ClusterState.Tests;

/// <summary>
/// A replaced secret leaves nothing readable behind: on a real etcd the superseded revision is compacted (a read of it
/// through a watch fails), in the SQLite store the old value is in neither the database file nor its WAL. (A watcher
/// whose history is compacted under it: StoreChangesTests in Dm.Master.Tests.)
/// </summary>
public sealed class SecretHistoryCompactorTests(EtcdFixture etcd) : IClassFixture<EtcdFixture>, IDisposable
{
    private const string Secrets = "/secret-history-test/sources/";
    private readonly TempDataDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private EtcdClusterStore OpenEtcd() => EtcdClusterStore.Open(new EtcdClusterStoreOptions
    {
        Endpoints = [etcd.Server.ClientUrl],
        DialTimeout = TimeSpan.FromSeconds(2),
        RequestTimeout = TimeSpan.FromSeconds(5),
    });

    [Fact]
    public async Task Etcd_compacts_a_replaced_password_so_its_old_revision_cannot_be_read()
    {
        await using var etcdStore = OpenEtcd();
        var store = new SecretHistoryCompactor(etcdStore, [Secrets], e => throw e);
        string key = Secrets + Guid.NewGuid().ToString("N");
        // Written without the compactor, so that the test sees the old revision readable first.
        long first = await etcdStore.PutAsync(key, Encoding.UTF8.GetBytes("{\"password\":\"old-password-1\"}"));
        // A key without secrets does not compact: history from before it stays readable.
        long other = await store.PutAsync("/secret-history-test/stage/" + Guid.NewGuid().ToString("N"), Encoding.UTF8.GetBytes("Running"));
        await using (var history = store.WatchAsync(Secrets, first - 1).GetAsyncEnumerator())
        {
            Assert.True(await history.MoveNextAsync());
            Assert.Contains("old-password-1", history.Current.Kv.ValueString);
        }

        long second = await store.TxnAsync([Compare.Exists(key)], [TxnOp.Put(key, "{\"password\":\"new-password-2\"}")])
            .ContinueWith(t => t.Result.Revision);
        Assert.True(second > other);
        var compacted = await Assert.ThrowsAsync<CompactedRevisionException>(async () =>
        {
            await foreach (var _ in etcdStore.WatchAsync(Secrets, first - 1)) { }
        });
        Assert.True(compacted.CompactRevision >= second - 1, $"compacted up to {compacted.CompactRevision}, the write was {second}");
        Assert.Contains("new-password-2", (await store.GetAsync(key)).Kv!.ValueString);

        // A deletion of the secret leaves no revision holding it either.
        await store.DeleteAsync(key);
        await Assert.ThrowsAsync<CompactedRevisionException>(async () =>
        {
            await foreach (var _ in etcdStore.WatchAsync(Secrets, second - 1)) { }
        });
    }

    [Fact]
    public async Task Sqlite_keeps_no_byte_of_a_replaced_password_in_its_files()
    {
        await using (var plain = SqliteClusterStore.Open(_dir.Path))
        {
            await plain.PutAsync(Secrets + "a", Encoding.UTF8.GetBytes("{\"password\":\"plain-old-password\"}"));
            await plain.PutAsync(Secrets + "a", Encoding.UTF8.GetBytes("{\"password\":\"plain-new-password\"}"));
            // The control: without compaction the old value is still in the files (its history row).
            Assert.True(FilesHold("plain-old-password"), "the control expects the uncompacted old value in the files");
        }

        await using var sqlite = SqliteClusterStore.Open(_dir.Path);
        var store = new SecretHistoryCompactor(sqlite, [Secrets], e => throw e);
        await store.PutAsync(Secrets + "b", Encoding.UTF8.GetBytes("{\"password\":\"old-password-xyz\"}"));
        for (int i = 0; i < 20; i++) await store.PutAsync("/unrelated/" + i, Encoding.UTF8.GetBytes("x"));
        await store.PutAsync(Secrets + "b", Encoding.UTF8.GetBytes("{\"password\":\"new-password-xyz\"}"));
        await store.DeleteAsync(Secrets + "a");

        foreach (var gone in new[] { "old-password-xyz", "plain-new-password", "plain-old-password" })
            Assert.True(FileHolding(gone) is null, $"'{gone}' is still in {Path.GetFileName(FileHolding(gone))}");
        Assert.True(FilesHold("new-password-xyz"), "the current value should be in the files (the check reads the right files)");
    }

    // Whether the database file or its WAL holds the text, as the running store leaves them.
    private bool FilesHold(string text) => FileHolding(text) != null;

    private string? FileHolding(string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        return Directory.GetFiles(_dir.Path, SqliteClusterStore.DatabaseFileName + "*")
            .FirstOrDefault(f => ReadShared(f).AsSpan().IndexOf(needle) >= 0);
    }

    private static byte[] ReadShared(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        file.CopyTo(copy);
        return copy.ToArray();
    }
}
