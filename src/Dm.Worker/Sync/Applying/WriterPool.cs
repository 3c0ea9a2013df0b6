using Dm.Worker.Sync.Checkpointing;
using MySqlConnector;

namespace Dm.Worker.Sync.Applying;

/// <summary>
/// Routes transactions to writers by causality: a transaction whose keys are in flight on exactly one
/// writer goes to that writer (behind them); on none, to the least busy writer; on several, it waits until
/// those writers have committed what they hold. So changes to one key always apply in binlog order, while
/// unrelated transactions run on all <c>repl_threads</c> connections.
/// </summary>
internal sealed class WriterPool : IAsyncDisposable
{
    private readonly SyncWriter[] _writers;
    private readonly Dictionary<string, (int Writer, long Sequence)> _inFlight = new(StringComparer.Ordinal);
    private readonly List<Task> _running = [];
    private readonly CancellationTokenSource _stop;
    private readonly SemaphoreSlim _progress = new(0);
    private readonly CancellationTokenSource _failed = new();
    private Exception? _failure;

    /// <summary>Cancelled when a writer stops on an error, so a reader waiting for upstream events stops too.</summary>
    public CancellationToken Failed => _failed.Token;

    /// <summary>
    /// Starts one <see cref="SyncWriter"/> per connection (the pool owns them and their connections from here on);
    /// <paramref name="committed"/> hears of each batch a writer committed, before the writer counts as idle.
    /// </summary>
    public WriterPool(IReadOnlyList<MySqlConnection> connections, SyncCheckpointTable checkpoint, WriterShape shape, BatchIds batchIds,
        Action<IReadOnlyList<SyncTransaction>, long> committed, CancellationToken cancellationToken)
    {
        _writers = new SyncWriter[connections.Count];
        for (var i = 0; i < _writers.Length; i++)
            _writers[i] = new SyncWriter(i, connections[i], checkpoint, shape, batchIds.Next, (batch, id, _) =>
            {
                committed(batch, id);
                _progress.Release(); // the dispatcher may be waiting for a writer to commit
            });
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        foreach (var w in _writers) _running.Add(RunWriterAsync(w));
    }

    private async Task RunWriterAsync(SyncWriter writer)
    {
        try { await Task.Run(() => writer.RunAsync(_stop.Token)); }
        catch (Exception e)
        {
            _failure ??= e;
            _stop.Cancel();
            _failed.Cancel();
        }
        finally { _progress.Release(); }
    }

    public async ValueTask DispatchAsync(SyncTransaction transaction, CancellationToken cancellationToken)
    {
        ThrowIfFailed();
        // Usually no key or one writer's keys: the set is only made when a second writer shows up.
        var first = -1;
        HashSet<int>? busy = null;
        foreach (var key in transaction.Keys)
            if (_inFlight.TryGetValue(key, out var owner) && _writers[owner.Writer].CommittedSequence < owner.Sequence)
            {
                if (first < 0) first = owner.Writer;
                else if (owner.Writer != first) (busy ??= [first]).Add(owner.Writer);
            }
        int chosen;
        if (first >= 0 && busy is null) chosen = first;
        else
        {
            if (busy is not null) await WaitUntilAsync(() => busy.All(i => _writers[i].Idle), cancellationToken);
            chosen = LeastBusy();
        }
        foreach (var key in transaction.Keys) _inFlight[key] = (chosen, transaction.Sequence);
        if (_inFlight.Count > 200_000) Prune();
        await _writers[chosen].EnqueueAsync(transaction, cancellationToken);
    }

    /// <summary>Waits until every writer has committed everything it was given (before DDL and checkpoints).</summary>
    public Task DrainAsync(CancellationToken cancellationToken) => WaitUntilAsync(() => _writers.All(w => w.Idle), cancellationToken);

    private int LeastBusy()
    {
        var best = 0;
        var bestLoad = long.MaxValue;
        for (var i = 0; i < _writers.Length; i++)
        {
            var load = _writers[i].Assigned - _writers[i].CommittedSequence + _writers[i].Queued;
            if (load < bestLoad) (best, bestLoad) = (i, load);
        }
        return best;
    }

    private void Prune()
    {
        foreach (var (key, owner) in _inFlight.ToList())
            if (_writers[owner.Writer].CommittedSequence >= owner.Sequence) _inFlight.Remove(key);
    }

    private async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            ThrowIfFailed();
            await _progress.WaitAsync(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
        ThrowIfFailed();
    }

    public void ThrowIfFailed()
    {
        if (_failure is { } e) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var w in _writers) w.Complete();
        _stop.Cancel();
        try { await Task.WhenAll(_running); } catch { /* failures were recorded */ }
        foreach (var w in _writers) await w.DisposeAsync();
        _stop.Dispose();
        _failed.Dispose();
    }
}
