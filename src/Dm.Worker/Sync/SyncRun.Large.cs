using Dm.Worker.Units;
using Dm.Binlog.Replication;
using MySqlConnector;

namespace Dm.Worker.Sync;

/// <summary>
/// A transaction too large to buffer: once every writer is idle it is streamed into one target transaction
/// of its own (its statements executed as they are planned), committed with its applied row at its end.
/// </summary>
internal sealed partial class SyncRun
{
    private async Task SpillLargeAsync(CancellationToken cancellationToken)
    {
        var transaction = _transaction!;
        if (_large is null)
        {
            await _pool.DrainAsync(cancellationToken);
            var connection = await OpenTargetAsync(cancellationToken);
            _large = new LargeTransaction(connection, await connection.BeginTransactionAsync(cancellationToken));
            logger.LogInformation("sync of {Task}: transaction {Id} is large; applying it alone", settings.Config.Name, transaction.Id);
        }
        await SyncWriter.ExecuteAsync(_large.Connection, _large.Transaction, BatchStatements.Build([transaction]), null,
            () => $"large transaction {transaction.Id}", cancellationToken);
        transaction.Statements.Clear();
        transaction.Rows.Clear();
        transaction.Keys.Clear();
    }

    private async Task FinishLargeAsync(SyncTransaction transaction, BinlogLocation end, CancellationToken cancellationToken)
    {
        var large = _large!;
        var batch = _batchBase + Interlocked.Increment(ref _batchCounter);
        await SyncWriter.ExecuteAsync(large.Connection, large.Transaction, BatchStatements.Build([transaction]), checkpoint.AppliedCommand(batch, [transaction.Id]),
            () => $"large transaction {transaction.Id}", cancellationToken);
        await large.Transaction.CommitAsync(cancellationToken);
        transaction.End = end;
        transaction.Sequence = _watermark.Next(end, transaction.Timestamp);
        _watermark.Committed([transaction], batch);
        _large = null;
        await large.DisposeAsync();
    }

    private sealed class LargeTransaction(MySqlConnection connection, MySqlTransaction transaction) : IAsyncDisposable
    {
        public MySqlConnection Connection => connection;
        public MySqlTransaction Transaction => transaction;

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
