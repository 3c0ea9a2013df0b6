using Dm.Binlog.Replication;
using Dm.Worker.Sync.Checkpointing;
using MySqlConnector;

namespace Dm.Worker.Sync.Applying;

/// <summary>
/// A transaction too large to buffer: once every writer is idle it is streamed into one target transaction
/// of its own (its statements executed as they are planned), committed with its applied row at its end.
/// </summary>
internal sealed class LargeTransactionApplier(Func<CancellationToken, Task<MySqlConnection>> openTarget, SyncCheckpointTable checkpoint,
    CommitWatermark watermark, BatchIds batchIds, string task, ILogger logger, int rowsPerStatement = WriterShape.MultipleRows) : IAsyncDisposable
{
    private LargeTransaction? _open;

    /// <summary>Whether a large transaction is being streamed (from its first spill until it commits).</summary>
    public bool Active => _open is not null;

    /// <summary>
    /// Executes what <paramref name="transaction"/> has planned so far in its own target transaction (begun after
    /// <paramref name="writers"/> are drained, on the first spill), and forgets it: the rows are in the target, uncommitted.
    /// </summary>
    public async Task SpillAsync(SyncTransaction transaction, WriterPool writers, CancellationToken cancellationToken)
    {
        if (_open is null)
        {
            await writers.DrainAsync(cancellationToken);
            var connection = await openTarget(cancellationToken);
            _open = new LargeTransaction(connection, await connection.BeginTransactionAsync(cancellationToken));
            logger.LogInformation("sync of {Task}: transaction {Id} is large; applying it alone", task, transaction.Id);
        }
        await RelaxIfNeededAsync(transaction, cancellationToken);
        await SyncWriter.ExecuteAsync(_open.Connection, _open.Transaction, BatchStatements.Build([transaction], rowsPerStatement), null,
            () => $"large transaction {transaction.Id}", cancellationToken);
        transaction.Statements.Clear();
        transaction.Rows.Clear();
        transaction.Keys.Clear();
    }

    /// <summary>Applies the rest of <paramref name="transaction"/> and commits it with its applied row; the watermark then covers it.</summary>
    public async Task FinishAsync(SyncTransaction transaction, BinlogLocation end, CancellationToken cancellationToken)
    {
        var large = _open!;
        await RelaxIfNeededAsync(transaction, cancellationToken);
        var batch = batchIds.Next();
        try
        {
            await SyncWriter.ExecuteAsync(large.Connection, large.Transaction, BatchStatements.Build([transaction], rowsPerStatement), checkpoint.AppliedCommand(batch, [transaction.Id]),
                () => $"large transaction {transaction.Id}", cancellationToken);
        }
        catch (Exception e) when (checkpoint.IsFenced(e))
        {
            throw checkpoint.Fence.Fenced(); // left uncommitted: rolled back when the run ends
        }
        await large.Transaction.CommitAsync(cancellationToken);
        transaction.End = end;
        transaction.Sequence = watermark.Next(end, transaction.Timestamp);
        watermark.Committed([transaction], batch);
        _open = null;
        await large.DisposeAsync();
    }

    /// <summary>The transaction's connection (its own, closed after it) leaves strict mode once a value needs it (<see cref="LenientMode"/>).</summary>
    private async Task RelaxIfNeededAsync(SyncTransaction transaction, CancellationToken cancellationToken)
    {
        if (!transaction.Lenient || _open!.Relaxed) return;
        await using var relax = new MySqlBatch(_open.Connection, _open.Transaction);
        relax.BatchCommands.Add(LenientMode.Relax());
        await relax.ExecuteNonQueryAsync(cancellationToken);
        _open.Relaxed = true;
    }

    /// <summary>Rolls back a large transaction left open (the run stopped in the middle of it).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_open is not null) await _open.DisposeAsync();
    }

    private sealed class LargeTransaction(MySqlConnection connection, MySqlTransaction transaction) : IAsyncDisposable
    {
        public MySqlConnection Connection => connection;
        public MySqlTransaction Transaction => transaction;

        /// <summary>Whether the session left strict mode for this transaction.</summary>
        public bool Relaxed { get; set; }

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
