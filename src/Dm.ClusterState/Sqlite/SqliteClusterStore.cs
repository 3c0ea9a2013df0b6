using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Dm.ClusterState.Sqlite;

/// <summary>
/// The local cluster-state store: one SQLite file "&lt;data-dir&gt;/cluster-state.db" owned by one process.
/// All writes go through a single writer loop that applies every queued request in one SQLite
/// transaction (each request still gets its own revision), so concurrent writers share one fsync.
/// Reads and watches use a separate read connection. Keys, the revision counter, history and
/// leases are durable; a lease's TTL starts over when the store is reopened.
/// </summary>
public sealed class SqliteClusterStore : IClusterStore
{
    public const string DatabaseFileName = "cluster-state.db";
    private const int MaxBatch = 256;
    private const int WatchPageSize = 512;
    private static readonly TimeSpan LeaseCheckInterval = TimeSpan.FromMilliseconds(100);

    private readonly DataDirLock _dirLock;
    private readonly SqliteKvWriter _writer;
    private readonly SqliteKvReader _reader;
    private readonly long _retainedRevisions;
    private readonly LeaseClock _leases = new();
    private readonly ChangeSignal _changed = new();
    private readonly Channel<WriteRequest> _queue = Channel.CreateUnbounded<WriteRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _writerLoop;
    private readonly Task _leaseLoop;
    private long _committedRevision;
    private volatile bool _disposed;

    private SqliteClusterStore(string dataDir, DataDirLock dirLock, SqliteKvWriter writer, SqliteKvReader reader, long retainedRevisions)
    {
        DataDir = dataDir;
        _dirLock = dirLock;
        _writer = writer;
        _reader = reader;
        _retainedRevisions = retainedRevisions;
        _committedRevision = writer.Revision;
        foreach (var (id, ttl) in writer.ReadLeases())
            _leases.Start(id, ttl);
        _writerLoop = Task.Run(WriterLoopAsync);
        _leaseLoop = Task.Run(LeaseExpiryLoopAsync);
    }

    public string DataDir { get; }

    /// <summary>
    /// Opens (creating if needed) the store in <paramref name="dataDir"/>. History older than the last
    /// <paramref name="retainedRevisions"/> revisions is compacted automatically.
    /// </summary>
    /// <exception cref="DataDirInUseException">another process (or another open store) owns the data dir.</exception>
    public static SqliteClusterStore Open(string dataDir, long retainedRevisions = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retainedRevisions, 1);
        Directory.CreateDirectory(dataDir);
        var dirLock = DataDirLock.Acquire(dataDir);
        SqliteKvWriter? writer = null;
        try
        {
            string dbPath = Path.Combine(dataDir, DatabaseFileName);
            OwnerOnly(dbPath);
            writer = new SqliteKvWriter(dbPath);
            var reader = new SqliteKvReader(dbPath);
            return new SqliteClusterStore(dataDir, dirLock, writer, reader, retainedRevisions);
        }
        catch
        {
            writer?.Dispose();
            dirLock.Dispose();
            throw;
        }
    }

    // The state holds passwords and the join secret: the file is the owner's alone (SQLite gives its -wal and -shm files
    // the same mode). A new file is created so; an existing one is tightened.
    private static void OwnerOnly(string dbPath)
    {
        if (OperatingSystem.IsWindows()) return;
        const UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (!File.Exists(dbPath))
        {
            using var created = new FileStream(dbPath, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode });
        }
        else File.SetUnixFileMode(dbPath, mode);
    }

    public Task<long> GetRevisionAsync(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Task.FromResult(Volatile.Read(ref _committedRevision));
    }

    public Task<RangeResult> GetAsync(string key, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentException.ThrowIfNullOrEmpty(key);
        return _reader.GetAsync(key, ct);
    }

    public Task<RangeResult> GetPrefixAsync(string prefix, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _reader.GetRangeAsync(KeyRange.ForPrefix(prefix), ct);
    }

    public async Task<long> PutAsync(string key, byte[] value, long leaseId = 0, CancellationToken ct = default)
        => (await TxnAsync([], [TxnOp.Put(key, value, leaseId)], null, ct).ConfigureAwait(false)).Revision;

    public async Task<long> DeleteAsync(string key, CancellationToken ct = default)
        => (await TxnAsync([], [TxnOp.Delete(key)], null, ct).ConfigureAwait(false)).Results[0].Deleted;

    public async Task<long> DeletePrefixAsync(string prefix, CancellationToken ct = default)
        => (await TxnAsync([], [TxnOp.DeletePrefix(prefix)], null, ct).ConfigureAwait(false)).Results[0].Deleted;

    public Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<TxnOp> then,
        IReadOnlyList<TxnOp>? otherwise = null, CancellationToken ct = default)
        => WriteAsync(w => w.ApplyTxn(compares, then, otherwise), ct);

    public async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long afterRevision,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var range = KeyRange.ForPrefix(prefix);
        long cursorRevision = afterRevision, cursorSub = long.MaxValue;
        while (true)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var changed = _changed.Current;
            var page = await _reader.ReadHistoryAsync(range, cursorRevision, cursorSub, WatchPageSize, ct).ConfigureAwait(false);
            // Also fail when compaction removed the rest of a revision we were in the middle of.
            if (cursorRevision < page.CompactRevision || (cursorRevision == page.CompactRevision && cursorSub != long.MaxValue))
                throw new CompactedRevisionException(afterRevision + 1, page.CompactRevision);
            foreach (var (e, sub) in page.Events)
            {
                (cursorRevision, cursorSub) = (e.Revision, sub);
                yield return e;
            }
            if (page.Events.Count == WatchPageSize)
                continue;
            // A partial page means everything up to the snapshot's revision has been seen.
            (cursorRevision, cursorSub) = (Math.Max(page.Revision, cursorRevision), long.MaxValue);
            await changed.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    public async Task<long> GrantLeaseAsync(long ttlSeconds, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ttlSeconds, 1);
        long leaseId = await WriteAsync(w =>
        {
            long id;
            do
                id = Random.Shared.NextInt64(1, long.MaxValue);
            while (w.LeaseExists(id));
            w.GrantLease(id, ttlSeconds);
            return id;
        }, ct).ConfigureAwait(false);
        _leases.Start(leaseId, ttlSeconds);
        return leaseId;
    }

    public Task<long> KeepAliveOnceAsync(long leaseId, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Task.FromResult(_leases.Refresh(leaseId));
    }

    public async Task RevokeLeaseAsync(long leaseId, CancellationToken ct = default)
    {
        // Out of the clock first, so no keepalive succeeds on a lease being revoked.
        bool wasLive = _leases.Remove(leaseId);
        try
        {
            await WriteAsync<object?>(w => { w.RevokeLease(leaseId); return null; }, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (wasLive && ex is not LeaseNotFoundException)
        {
            // The revoke did not commit: let the expiry loop finish the job instead of leaving the lease immortal.
            _leases.Start(leaseId, 0);
            throw;
        }
    }

    public Task<LeaseInfo?> GetLeaseAsync(long leaseId, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Task.FromResult(_leases.Get(leaseId));
    }

    public Task CompactAsync(long revision, CancellationToken ct = default)
        => WriteAsync<object?>(w => { w.Compact(revision); return null; }, ct);

    private async Task<T> WriteAsync<T>(Func<SqliteKvWriter, T> apply, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ct.ThrowIfCancellationRequested();
        var request = new WriteRequest(w => apply(w), ct);
        if (!_queue.Writer.TryWrite(request))
            throw new ObjectDisposedException(nameof(SqliteClusterStore));
        // A request already in a batch is applied even if the caller stops waiting (as with etcd).
        return (T)(await request.Outcome.Task.WaitAsync(ct).ConfigureAwait(false))!;
    }

    private async Task WriterLoopAsync()
    {
        var batch = new List<WriteRequest>(MaxBatch);
        var outcomes = new List<(object? Result, Exception? Error)>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var request))
            {
                if (request.CancellationToken.IsCancellationRequested)
                    request.Outcome.TrySetCanceled(request.CancellationToken);
                else
                    batch.Add(request);
            }
            if (batch.Count == 0)
                continue;
            ApplyBatch(batch, outcomes);
            CompactIfHistoryTooLong();
        }
    }

    private void ApplyBatch(List<WriteRequest> batch, List<(object? Result, Exception? Error)> outcomes)
    {
        outcomes.Clear();
        long before = _writer.Revision;
        long compactedBefore = _writer.CompactRevision;
        try
        {
            _writer.Begin();
            foreach (var request in batch)
            {
                try
                {
                    outcomes.Add((request.Apply(_writer), null));
                }
                catch (Exception ex) when (ex is ClusterStoreException or ArgumentException)
                {
                    // Rejected during validation, before the request wrote anything.
                    outcomes.Add((null, ex));
                }
            }
            _writer.Commit();
        }
        catch (Exception ex)
        {
            _writer.Rollback();
            var failure = new ClusterStoreException($"cluster-state write failed and was rolled back: {ex.Message}", ex);
            foreach (var request in batch)
                request.Outcome.TrySetException(failure);
            return;
        }
        Volatile.Write(ref _committedRevision, _writer.Revision);
        // Before the requests complete: a compaction returns once what it dropped is gone from the files too.
        if (_writer.CompactRevision != compactedBefore)
            Scrub();
        for (int i = 0; i < batch.Count; i++)
        {
            if (outcomes[i].Error is { } error)
                batch[i].Outcome.TrySetException(error);
            else
                batch[i].Outcome.TrySetResult(outcomes[i].Result);
        }
        if (_writer.Revision != before)
            _changed.Notify();
    }

    private void Scrub()
    {
        try
        {
            _writer.Scrub();
        }
        catch (SqliteException)
        {
            // A reader held the database too long: what the files still hold goes with the next compaction's scrub.
        }
    }

    private void CompactIfHistoryTooLong()
    {
        // Compact in steps of a tenth of the retention so this runs rarely.
        if (_writer.Revision - _writer.CompactRevision <= _retainedRevisions + Math.Max(1, _retainedRevisions / 10))
            return;
        try
        {
            _writer.Begin();
            _writer.Compact(_writer.Revision - _retainedRevisions);
            _writer.Commit();
            Scrub();
        }
        catch (Exception)
        {
            _writer.Rollback();
        }
    }

    private async Task LeaseExpiryLoopAsync()
    {
        using var timer = new PeriodicTimer(LeaseCheckInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_closing.Token).ConfigureAwait(false))
            {
                foreach (long leaseId in _leases.TakeExpired())
                {
                    try
                    {
                        await WriteAsync<object?>(w => { if (w.LeaseExists(leaseId)) w.RevokeLease(leaseId); return null; }, _closing.Token)
                            .ConfigureAwait(false);
                    }
                    catch (ClusterStoreException)
                    {
                        // The write failed (disk): keep the lease expiring, retry on the next tick.
                        _leases.Start(leaseId, 0);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // closing
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        _closing.Cancel();
        await _leaseLoop.ConfigureAwait(false);
        _queue.Writer.TryComplete();
        await _writerLoop.ConfigureAwait(false);
        _changed.Notify();
        _reader.Dispose();
        _writer.Dispose();
        _dirLock.Dispose();
        _closing.Dispose();
    }
}
