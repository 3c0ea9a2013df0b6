using System.Threading.Channels;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Sync;

/// <summary>
/// One target connection applying the transactions routed to it, in order: queued transactions are grouped
/// into one target transaction of up to <c>batch</c> statements, together with the applied row naming them,
/// so a batch is either wholly in the target with its record or not at all.
/// </summary>
internal sealed class SyncWriter(int index, MySqlConnection connection, SyncCheckpointTable checkpoint, int batchStatements,
    Func<long> nextBatchId, Action<IReadOnlyList<SyncTransaction>, long, int> committed) : IAsyncDisposable
{
    private readonly Channel<SyncTransaction> _queue = Channel.CreateBounded<SyncTransaction>(new BoundedChannelOptions(256)
    {
        SingleReader = true,
        SingleWriter = true,
    });
    private long _assigned;
    private long _committed;

    public int Index => index;

    /// <summary>Sequence of the last transaction handed to this writer.</summary>
    public long Assigned => Interlocked.Read(ref _assigned);

    /// <summary>Sequence of the last transaction this writer committed.</summary>
    public long CommittedSequence => Interlocked.Read(ref _committed);

    public bool Idle => CommittedSequence >= Assigned;

    public int Queued => _queue.Reader.Count;

    public async ValueTask EnqueueAsync(SyncTransaction transaction, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _assigned, transaction.Sequence);
        await _queue.Writer.WriteAsync(transaction, cancellationToken);
    }

    public void Complete() => _queue.Writer.TryComplete();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var batch = new List<SyncTransaction>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            batch.Clear();
            var statements = 0;
            while (statements < batchStatements && reader.TryRead(out var next))
            {
                batch.Add(next);
                statements += next.Statements.Count;
            }
            if (batch.Count == 0) continue;
            var id = nextBatchId();
            await ApplyAsync(batch, id, cancellationToken);
            // The watermark first: whoever sees this writer idle may rely on the watermark covering the batch.
            committed(batch, id, index);
            Interlocked.Exchange(ref _committed, batch[^1].Sequence);
        }
    }

    private async Task ApplyAsync(List<SyncTransaction> batch, long id, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, batch.SelectMany(t => t.Statements),
            checkpoint.AppliedCommand(id, batch.Select(t => t.Id)), () => Describe(batch), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Runs statements (and an optional last command) in one round trip inside the caller's transaction.</summary>
    internal static async Task ExecuteAsync(MySqlConnection connection, MySqlTransaction transaction, IEnumerable<Dm.Sql.Dml.DmlStatement> statements,
        MySqlBatchCommand? last, Func<string> describe, CancellationToken cancellationToken)
    {
        await using var command = new MySqlBatch(connection, transaction);
        foreach (var statement in statements)
        {
            var c = new MySqlBatchCommand(statement.Sql);
            foreach (var value in statement.Parameters) c.Parameters.Add(new MySqlParameter { Value = value });
            command.BatchCommands.Add(c);
        }
        if (last is not null) command.BatchCommands.Add(last);
        if (command.BatchCommands.Count == 0) return;
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (MySqlException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DataStatementException(describe(), e);
        }
    }

    private static string Describe(List<SyncTransaction> batch) =>
        $"batch of {batch.Count} upstream transaction(s) ending at {BinlogOrder.Text(batch[^1].End)}: " +
        string.Join("; ", batch.SelectMany(t => t.Statements).Take(3).Select(s => s.Sql));

    public async ValueTask DisposeAsync() => await connection.DisposeAsync();
}
