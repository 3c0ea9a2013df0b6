using System.Diagnostics;
using Dm.ClusterState.Sqlite;
using Xunit.Abstractions;

namespace Dm.ClusterState.Tests;

/// <summary>What only the local store has: restarts on the same file, the data-dir lock, automatic compaction, batching.</summary>
public sealed class SqliteClusterStoreTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDataDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_state_file_is_the_owners_alone()
    {
        if (OperatingSystem.IsWindows()) return;
        var file = System.IO.Path.Combine(_dir.Path, SqliteClusterStore.DatabaseFileName);
        await using (var store = SqliteClusterStore.Open(_dir.Path))
            await store.PutAsync("/secret", "1");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await using (var store = SqliteClusterStore.Open(_dir.Path))
            Assert.Equal("1", (await store.GetAsync("/secret")).Kv!.ValueString);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    public async Task Restart_keeps_keys_revision_counter_and_history()
    {
        long revision;
        await using (var store = SqliteClusterStore.Open(_dir.Path))
        {
            await store.PutAsync("/a", "1");
            await store.PutAsync("/a", "2");
            await store.PutAsync("/b", "1");
            await store.DeleteAsync("/b");
            revision = await store.GetRevisionAsync();
        }
        await using (var store = SqliteClusterStore.Open(_dir.Path))
        {
            Assert.Equal(revision, await store.GetRevisionAsync());
            var a = (await store.GetAsync("/a")).Kv!;
            Assert.Equal(("2", 2L, revision - 2), (a.ValueString, a.Version, a.ModRevision));
            Assert.Null((await store.GetAsync("/b")).Kv);
            Assert.Equal(revision + 1, await store.PutAsync("/c", "1"));

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var events = new List<WatchEvent>();
            await foreach (var e in store.WatchAsync("/", 1, cts.Token))
            {
                events.Add(e);
                if (events.Count == 5)
                    break;
            }
            Assert.Equal(new[] { "Put /a 2", "Put /a 3", "Put /b 4", "Delete /b 5", "Put /c 6" },
                events.Select(e => $"{e.Type} {e.Kv.Key} {e.Revision}"));
            Assert.Equal("1", events[3].PrevKv?.ValueString);
        }
    }

    [Fact]
    public async Task A_lease_survives_restart_with_a_fresh_ttl_and_then_expires()
    {
        long lease;
        await using (var store = SqliteClusterStore.Open(_dir.Path))
        {
            lease = await store.GrantLeaseAsync(2);
            await store.PutAsync("/worker/w1", "online", lease);
        }
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // longer than the TTL, while no store runs
        await using (var store = SqliteClusterStore.Open(_dir.Path))
        {
            Assert.Equal("online", await store.GetStringAsync("/worker/w1"));
            var info = await store.GetLeaseAsync(lease);
            Assert.NotNull(info);
            Assert.Equal(2, info.GrantedTtlSeconds);
            long revision = await store.GetRevisionAsync();
            var stopwatch = Stopwatch.StartNew();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await foreach (var e in store.WatchAsync("/worker/", revision, cts.Token))
            {
                Assert.Equal((WatchEventType.Delete, "/worker/w1"), (e.Type, e.Kv.Key));
                break;
            }
            Assert.InRange(stopwatch.Elapsed.TotalSeconds, 1.0, 5.0);
            Assert.Null(await store.GetLeaseAsync(lease));
        }
    }

    [Fact]
    public async Task A_second_store_on_the_same_data_dir_fails_fast()
    {
        await using (var first = SqliteClusterStore.Open(_dir.Path))
        {
            var ex = Assert.Throws<DataDirInUseException>(() => SqliteClusterStore.Open(_dir.Path));
            Assert.Contains(_dir.Path, ex.Message);
            await first.PutAsync("/still", "works");
        }
        await using var reopened = SqliteClusterStore.Open(_dir.Path);
        Assert.Equal("works", await reopened.GetStringAsync("/still"));
    }

    [Fact]
    public async Task The_data_dir_lock_is_visible_to_other_processes()
    {
        string lockFile = Path.Combine(_dir.Path, "cluster-state.lock");
        await using (SqliteClusterStore.Open(_dir.Path))
            Assert.Equal(42, await RunFlockAsync(lockFile)); // another process cannot take it
        Assert.Equal(0, await RunFlockAsync(lockFile)); // released on dispose
    }

    // util-linux flock(1): exits 42 when the file is locked by someone else.
    private static async Task<int> RunFlockAsync(string lockFile)
    {
        using var flock = Process.Start(new ProcessStartInfo("flock", ["--nonblock", "--conflict-exit-code", "42", lockFile, "true"])
        {
            UseShellExecute = false,
        })!;
        await flock.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return flock.ExitCode;
    }

    [Fact]
    public async Task A_disposed_store_refuses_calls_and_ends_its_watches()
    {
        var store = SqliteClusterStore.Open(_dir.Path);
        long revision = await store.GetRevisionAsync();
        var watch = Task.Run(async () =>
        {
            await foreach (var _ in store.WatchAsync("/", revision))
            {
            }
        });
        await Task.Delay(200);
        await store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => watch.WaitAsync(TimeSpan.FromSeconds(10)));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.PutAsync("/a", "1"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.GetAsync("/a"));
    }

    [Fact]
    public async Task History_is_compacted_automatically_beyond_the_retention()
    {
        await using var store = SqliteClusterStore.Open(_dir.Path, retainedRevisions: 10);
        for (int i = 0; i < 40; i++)
            await store.PutAsync("/k", i.ToString());
        long revision = await store.GetRevisionAsync();
        await Assert.ThrowsAsync<CompactedRevisionException>(async () =>
        {
            await foreach (var _ in store.WatchAsync("/", 1))
                break;
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var recent = new List<WatchEvent>();
        await foreach (var e in store.WatchAsync("/", revision - 10, cts.Token))
        {
            recent.Add(e);
            if (recent.Count == 10)
                break;
        }
        Assert.Equal("39", recent[^1].Kv.ValueString);
    }

    [Fact]
    public async Task Concurrent_writes_are_batched_and_all_durable()
    {
        const int Writers = 32, PutsEach = 100;
        long before;
        await using (var store = SqliteClusterStore.Open(_dir.Path))
        {
            for (int i = 0; i < 20; i++)
                await store.PutAsync("/warmup", "v");
            before = await store.GetRevisionAsync();
            var stopwatch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                for (int i = 0; i < PutsEach; i++)
                    await store.PutAsync($"/load/{w:D2}/{i:D3}", "value");
            })));
            stopwatch.Stop();
            output.WriteLine($"{Writers * PutsEach} puts from {Writers} writers: {Writers * PutsEach / stopwatch.Elapsed.TotalSeconds:F0} puts/s");

            var sequential = Stopwatch.StartNew();
            for (int i = 0; i < 100; i++)
                await store.PutAsync("/seq", i.ToString());
            output.WriteLine($"100 sequential puts: {100 / sequential.Elapsed.TotalSeconds:F0} puts/s");
            var reads = Stopwatch.StartNew();
            for (int i = 0; i < 1000; i++)
                await store.GetAsync("/seq");
            output.WriteLine($"1000 sequential gets: {1000 / reads.Elapsed.TotalSeconds:F0} gets/s");
        }
        await using var reopened = SqliteClusterStore.Open(_dir.Path);
        Assert.Equal(Writers * PutsEach, (await reopened.GetPrefixAsync("/load/")).Kvs.Count);
        Assert.Equal(before + Writers * PutsEach + 100, await reopened.GetRevisionAsync());
    }
}
