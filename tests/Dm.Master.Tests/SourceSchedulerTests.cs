using Dm.ClusterState;
using Dm.ClusterState.Sqlite;
using Dm.Core.Api;
using Dm.Master.State;
using Dm.Master.Workers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dm.Master.Tests;

/// <summary>
/// The scheduler's choice of worker for a source whose bound worker went offline, over a real local store:
/// the worker holding the source's dump files first, then the last-bound worker, then any free one.
/// </summary>
public sealed class SourceSchedulerTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dm-scheduler-tests", Guid.NewGuid().ToString("N"));
    private readonly SqliteClusterStore _store;
    private readonly WorkerLeases _leases;
    private readonly WorkerStatusBoard _reports = new();
    private readonly SourceScheduler _scheduler;

    public SourceSchedulerTests()
    {
        _store = SqliteClusterStore.Open(_dir);
        _leases = new WorkerLeases(_store, NullLogger<WorkerLeases>.Instance);
        _scheduler = new SourceScheduler(_store, new MasterGate(), _reports, new NoTerms(), NullLogger<SourceScheduler>.Instance);
    }

    [Fact]
    public async Task Offline_workers_source_goes_to_the_dump_holder_then_the_last_bound_then_any_free_worker()
    {
        foreach (var w in new[] { "w1", "w2", "w3", "w4" })
            await _leases.RegisterAsync(w, "127.0.0.1:" + (9000 + w[1]), 60, null, CancellationToken.None);
        await _store.TxnAsync([], [MasterState.Put(Source("s1"))]);
        await _scheduler.ReconcileAsync(CancellationToken.None);
        Assert.Equal("w1", await BoundWorkerAsync("s1"));

        // No dump files anywhere: the last-bound worker (w3) beats the first free one (w2).
        await _store.PutAsync(MasterKeys.LastBoundWorker("w3"), "s1");
        await GoOfflineAsync("w1");
        await _scheduler.ReconcileAsync(CancellationToken.None);
        Assert.Equal("w3", await BoundWorkerAsync("s1"));

        // w4 holds s1's dump files: it beats the last-bound worker (w2 now) and the first free one.
        await _store.PutAsync(MasterKeys.LastBoundWorker("w2"), "s1");
        _reports.ReportDumpFiles("w4", ["s1"]);
        _reports.ReportDumpFiles("w2", ["other"]);
        await GoOfflineAsync("w3");
        await _scheduler.ReconcileAsync(CancellationToken.None);
        Assert.Equal("w4", await BoundWorkerAsync("s1"));

        // A holder that is offline does not count; with no last-bound worker free, any free worker takes it.
        await _store.DeleteAsync(MasterKeys.LastBoundWorker("w2"));
        _reports.ReportDumpFiles("w1", ["s1"]);
        await GoOfflineAsync("w4");
        await _scheduler.ReconcileAsync(CancellationToken.None);
        Assert.Equal("w2", await BoundWorkerAsync("s1"));
    }

    private async Task GoOfflineAsync(string worker) => await _store.DeleteAsync(MasterKeys.WorkerKeepAlive(worker));

    private async Task<string?> BoundWorkerAsync(string source) =>
        (await new MasterState(_store).BoundsAsync(CancellationToken.None)).GetValueOrDefault(source);

    private static StoredSource Source(string name) => new()
    {
        Source = new Source
        {
            SourceName = name, Host = "127.0.0.1", Port = 3306, User = "root", Enable = true, EnableGtid = false,
        },
        ServerId = 1,
        CaseSensitive = false,
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>The tests call <see cref="SourceScheduler.ReconcileAsync"/> themselves: no term starts the background passes.</summary>
    private sealed class NoTerms : Dm.Master.Ha.ILeaderTerms
    {
        public Task<Dm.Master.Ha.LeaderTerm> WaitForTermAsync(CancellationToken ct) => Task.Delay(Timeout.Infinite, ct).ContinueWith<Dm.Master.Ha.LeaderTerm>(_ => throw new OperationCanceledException(ct), TaskScheduler.Default);
    }
}
