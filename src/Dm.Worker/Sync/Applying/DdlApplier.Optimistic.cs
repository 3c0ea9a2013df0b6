using Dm.Binlog.Events;
using Dm.Binlog.Replication;
using Dm.Core.Errors;
using Dm.Sql.Tracking;
using Dm.Worker.Sync.Planning;
using Dm.Worker.Sync.Sharding;

namespace Dm.Worker.Sync.Applying;

/// <summary>
/// DM's optimistic shard DDL: nothing waits. Each piece of the DDL is tracked for its shard at once, and the master is told the
/// shard's structure before and after it (with the shard tables of this source routed to the same target); the master joins
/// the structures of every shard of every source and answers: execute it on the target (it widens the joined structure, or it
/// is the last shard to narrow it), skip it (the target already has it, or other shards still need what it removes), or a
/// conflict (the structures cannot be joined), which stops the run on the DDL until <c>binlog-schema update</c> and
/// <c>binlog skip/replace</c>. Rows of a shard are always written with its own columns named, so a shard behind or ahead of
/// the target's structure writes correctly (the target fills a column the shard lacks with its default).
/// </summary>
internal sealed partial class DdlApplier
{
    private async Task ApplyOptimisticDdlAsync(QueryEvent query, BinlogLocation position, List<DdlPiece> pieces, (string Schema, string Table) table,
        string? currentSchema, string shownSql, (int Done, bool InFlight)? ddlProgress, CancellationToken cancellationToken)
    {
        var id = position.Position;
        var target = shards!.TargetOf(table.Schema, table.Table);
        await writers.DrainAsync(cancellationToken);
        // Every shard of this source is tracked before the target changes: a shard met later is loaded from the target.
        var members = await shards.GroupOfAsync(table.Schema, table.Table, upstream, cancellationToken);
        var changed = new List<(string Schema, string Table)>();
        foreach (var (schema, name) in members)
            if (schemas.Get(schema, name) is null && await schemas.LoadAsync(schema, name, control, upstream, cancellationToken) is not null)
                changed.Add((schema, name));
        var marker = batchIds.Next();
        var sent = new List<OptimisticShardDdl>();
        for (var index = 0; index < pieces.Count; index++)
        {
            var piece = pieces[index];
            var done = ddlProgress is { } p && index < p.Done;
            await EnsureTrackedAsync(piece, cancellationToken);
            var before = schemas.CreateSql(table.Schema, table.Table)!;
            try
            {
                schemas.Apply(piece.Statement, currentSchema);
            }
            catch (SchemaTrackerException e)
            {
                blocked.Block(id);
                throw DmErrors.ErrSchemaTrackerCannotExecDDL.WithMessage($"cannot track DDL `{shownSql}` at {id}: {e.Message}", e);
            }
            var request = new OptimisticShardDdl(settings.Config.Name, settings.Config.SourceId, table.Schema, table.Table, target.Schema,
                target.Table, [piece.TargetSql!], before, schemas.CreateSql(table.Schema, table.Table)!, [.. members]);
            var decision = await settings.ShardDdl.TrySyncAsync(request, cancellationToken);
            if (decision.Error is not null)
            {
                blocked.Block(id);
                var error = DmErrors.All.FirstOrDefault(e => e.Code == decision.ErrorCode) ?? DmErrors.ErrSyncerShardDDLConflict;
                throw error.WithMessage(decision.Error);
            }
            if (decision.Exec && !done)
            {
                await MarkDdlAsync(marker, id, index, inFlight: true, cancellationToken);
                // Replayed after a crash, or brought by another shard meanwhile: "already there" is what the master asked for.
                await ExecuteDdlAsync(piece.TargetSql!, id, shownSql, replay: true, cancellationToken);
            }
            logger.LogInformation("sync of {Task}: optimistic shard DDL `{Ddl}` of `{Schema}`.`{Table}` at {Position}: {Decision} (lock {Lock})",
                settings.Config.Name, piece.TargetSql, table.Schema, table.Table, id, decision.Exec ? "executed" : "skipped", request.LockId);
            sent.Add(request);
        }
        changed.Add(table);
        await checkpoints.WriteAfterDdlAsync(control, position, query.Header.Timestamp, changed, marker, cancellationToken);
        foreach (var request in sent) settings.ShardDdl.Done(request);
    }
}
