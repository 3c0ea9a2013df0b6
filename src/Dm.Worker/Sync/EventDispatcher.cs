using Dm.Binlog.Events;
using Dm.Core.Errors;
using Dm.Core.Rules;
using Dm.Worker.Sync.Applying;
using Dm.Worker.Sync.Checkpointing;
using Dm.Worker.Sync.Planning;
using Dm.Worker.Sync.Reading;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Sync;

/// <summary>
/// Hands each binlog event of a run, in binlog order, to the part that deals with it: transaction boundaries to the
/// <see cref="TransactionAssembler"/>; row changes through <see cref="RowEventRules"/> and the tracker to
/// <see cref="RowChangePlanner"/> (or, past <see cref="SyncSettings.LargeTransactionRows"/>, to the
/// <see cref="LargeTransactionApplier"/>); a transaction's end to the <see cref="CommitWatermark"/> and the
/// <see cref="WriterPool"/>; statements to the <see cref="DdlApplier"/>.
/// </summary>
internal sealed class EventDispatcher(SyncSettings settings, BinlogStream stream, TransactionAssembler transactions, RowEventRules rules,
    TrackedSchemas schemas, MySqlConnection control, Func<CancellationToken, Task<MySqlConnection>> upstream, SafeMode safeMode,
    WriterPool writers, LargeTransactionApplier large, DdlApplier ddl, CommitWatermark watermark, CheckpointWriter checkpoints,
    WatermarkReporter reporter, BlockedEvent blocked, SyncProgress progress, Sharding.PessimisticShards? sharding)
{
    // Built once per run; null when the task has no expression filter (no lookup per rows event then).
    private readonly ExpressionRowFilters? _expressionFilters = ExpressionRowFilters.Of(settings.Config);
    // DM's multiple-rows, read once: every rows event needs it.
    private readonly int _rowsPerStatement = settings.Shape.RowsPerStatement;
    // Likewise null when no route of the task extracts names into columns.
    private readonly ExtendedTables? _extendedTables = ExtendedColumns.Of(settings.Config) is { } columns ? new ExtendedTables(columns) : null;

    public async Task HandleAsync(BinlogEvent ev, CancellationToken cancellationToken)
    {
        progress.Event();
        switch (transactions.Accept(ev))
        {
            case TransactionEvent.Rows:
                await HandleRowsAsync((RowsEvent)ev, cancellationToken);
                break;
            case TransactionEvent.Ends:
                await CompleteTransactionAsync(ev, cancellationToken);
                break;
            case TransactionEvent.Statement:
                // Inside a grouped transaction (statement or mixed binlog format) the statement belongs to it: the rows read
                // so far stay buffered until its end. Anywhere else a statement (DDL) ends what its GTID event opened.
                var inside = transactions.Current is { Grouped: true };
                if (!inside) sharding?.EndTransaction();
                await ddl.ApplyAsync((QueryEvent)ev, stream.LocationAfter(ev), inside, cancellationToken);
                if (!inside) transactions.Close();
                break;
            case TransactionEvent.Heartbeat:
                reporter.Report();
                break;
        }
    }

    private async Task HandleRowsAsync(RowsEvent rows, CancellationToken cancellationToken)
    {
        if (transactions.Current?.Skip == true) return;
        var map = rows.Table ?? throw DmErrors.ErrBinlogExpectTableMapEv.New();
        var (schema, table) = (map.Database, map.Table);
        var type = rows.Kind switch
        {
            RowsEventKind.Write => BinlogEventTypes.Insert,
            RowsEventKind.Delete => BinlogEventTypes.Delete,
            _ => BinlogEventTypes.Update,
        };
        var (action, target) = rules.Decide(schema, table, type);
        switch (action)
        {
            case FilterAction.Ignore: return;
            case FilterAction.Error:
                var refusedAt = rows.ResumePosition;
                throw await blocked.BlockAsync(refusedAt, DmErrors.ErrSyncerUnitBinlogEventFilter.WithMessage(
                    $"{type} on `{schema}`.`{table}` at {refusedAt} is refused by a binlog filter rule"), writers, cancellationToken);
        }
        var info = schemas.Get(schema, table)
                   ?? await schemas.LoadAsync(schema, table, control, upstream, cancellationToken)
                   ?? throw DmErrors.ErrSyncerDownstreamTableNotFound.New($"`{schema}`.`{table}` (neither the target nor the upstream has it)");
        var transaction = transactions.OpenForRows(rows);
        if (transaction.Skip) return;
        var at = rows.ResumePosition;
        if (sharding is not null && sharding.IsHeld((schema, table)))
        {
            // This shard reached its group's DDL: its changes wait for the lock, planned now with its structure after the DDL.
            RowChangePlanner.Plan(sharding.HeldPart((schema, table), transaction), rows, info, target, safeMode: true, merge: false,
                _expressionFilters?.For(info), _extendedTables?.For(info), _rowsPerStatement);
            return;
        }
        var window = sharding is { Active: true };
        // Rows are merged per source table: a routed table may share its target with other shards, whose changes to the same
        // key must stay in binlog order with its own, so only tables written under their own name are merged.
        var unrouted = string.Equals(target.Schema, schema, StringComparison.Ordinal) && string.Equals(target.Name, table, StringComparison.Ordinal);
        RowChangePlanner.Plan(transaction, rows, info, target, safeMode.IsOn(rows.Header.Timestamp, at) || window, merge: settings.Compact && unrouted,
            _expressionFilters?.For(info), _extendedTables?.For(info), _rowsPerStatement);
        if (!window && (large.Active || transaction.RowChanges >= settings.LargeTransactionRows))
            await large.SpillAsync(transaction, writers, cancellationToken);
    }

    private async Task CompleteTransactionAsync(BinlogEvent end, CancellationToken cancellationToken)
    {
        var transaction = transactions.Close();
        var position = stream.LocationAfter(end);
        sharding?.EndTransaction();
        progress.Transaction();
        if (large.Active)
        {
            await large.FinishAsync(transaction!, position, cancellationToken);
            return;
        }
        if (transaction is { Skip: true })
        {
            checkpoints.Skipped(watermark.Done(position, end.Header.Timestamp));
            return;
        }
        if (transaction is null || transaction.Size == 0)
        {
            watermark.Done(position, end.Header.Timestamp);
            return;
        }
        transaction.End = position;
        transaction.Unrecorded = sharding is { Active: true };
        transaction.Sequence = watermark.Next(position, transaction.Timestamp);
        await writers.DispatchAsync(transaction, cancellationToken);
    }
}
