using System.Collections.Concurrent;
using Dm.Binlog.Events;
using Dm.Binlog.Replication;
using Dm.Core.Errors;
using Dm.Sql;
using Dm.Sql.Ast;
using Dm.Sql.Classification;
using Dm.Sql.Lexing;
using Dm.Sql.Parsing;
using Dm.Sql.Tracking;
using Dm.Worker.Errors;
using Dm.Worker.Sync.Checkpointing;
using Dm.Worker.Sync.Planning;
using Dm.Worker.Sync.Sharding;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Sync.Applying;

/// <summary>
/// DDL: applied after every earlier change is committed, one piece at a time, then the tracker and the
/// checkpoint move past it together. Each piece is announced first in the DDL's progress row (in flight), so a run
/// that finds the row after a crash replays the DDL taking "already exists / already dropped" as done. A DDL the
/// target refuses stops the run with the statement and its position quoted; binlog skip/replace recorded for that
/// position decide what happens on the next run.
/// </summary>
internal sealed partial class DdlApplier(SyncSettings settings, DdlPlanner planner, TrackedSchemas schemas, MySqlConnection control,
    Func<CancellationToken, Task<MySqlConnection>> upstream, WriterPool writers, SyncCheckpointTable checkpoint, CheckpointWriter checkpoints,
    CommitWatermark watermark, AppliedRecords applied, BatchIds batchIds, BlockedEvent blocked, OnlineDdlTable onlineDdl,
    ConcurrentDictionary<BinlogPosition, (SyncErrorOperation Operation, IReadOnlyList<string> Statements)> errorOperations, ShardTables? shards,
    PessimisticShards? sharding, SyncProgress progress, ILogger logger)
{
    /// <summary>Applies the statement of <paramref name="query"/>, which ends at <paramref name="position"/> (where the checkpoint then stands).</summary>
    /// <param name="insideTransaction">The statement is part of a grouped upstream transaction still being read (statement or
    /// mixed binlog format): the checkpoint does not move, the transaction's rows stay buffered, and only a statement
    /// needing no target work may pass.</param>
    public async Task ApplyAsync(QueryEvent query, BinlogLocation position, bool insideTransaction, CancellationToken cancellationToken)
    {
        var id = position.Position;
        var currentSchema = query.DefaultDatabase.Length > 0 ? query.DefaultDatabase : null;
        var lexer = LexerOptionsOf(query);
        var progress = TakeDdlProgress(id);
        IReadOnlyList<Statement> statements;
        string shownSql = query.Query;
        // An operation names the event as the run does, or by the upstream's file name (binlog skip/replace --binlog-pos).
        if (errorOperations.TryRemove(id, out var operation) || errorOperations.TryRemove(Reading.BinlogSourceChoice.UpstreamForm(id), out operation))
        {
            statements = operation.Operation == SyncErrorOperation.Skip ? [] : ParseReplacement(operation.Statements, id);
            progress = null; // other statements: what an earlier run did of the original says nothing about these
            logger.LogWarning("sync of {Task}: {Operation} the statement at {Position}: {Sql}", settings.Config.Name, operation.Operation, id, query.Query);
            shownSql = string.Join("; ", operation.Statements);
        }
        else
        {
            try
            {
                statements = SqlParser.ParseAll(query.Query, lexer);
            }
            catch (SqlParseException e)
            {
                throw await blocked.BlockAsync(id, DmErrors.ErrSyncerParseDDL.WithMessage($"parse DDL: {e.Message}; statement `{query.Query}` at {id}", e),
                    writers, cancellationToken);
            }
        }

        var pieces = new List<DdlPiece>();
        var statementIndex = 0;
        foreach (var statement in statements)
        {
            var at = $"{id}.{statementIndex++}";
            if (statement is PassThroughStatement { Kind: PassThroughKind.Dml } dml)
            {
                // As DM: a DML statement (binlog_format STATEMENT or MIXED) on a table the task replicates cannot be replayed
                // row by row; the run stops on it (36014) before anything of its transaction is applied.
                var table = DmlTarget.Of(dml, lexer);
                if (table is not null && planner.IgnoresTable(table.Schema ?? currentSchema ?? "", table.Name)) continue;
                throw await blocked.BlockAsync(id, DmErrors.ErrSyncUnitDMLStatementFound.WithMessage(
                    $"{DmErrors.ErrSyncUnitDMLStatementFound.FormatMessage()}: query `{shownSql}` at {id} (the upstream wrote it with binlog_format " +
                    "STATEMENT or MIXED; set binlog_format=ROW upstream, then `binlog skip` or `binlog replace` this event)"), writers, cancellationToken);
            }
            var (planned, refused) = planner.Plan(statement, currentSchema, query.Query, at);
            if (refused is not null)
                throw await blocked.BlockAsync(id, DmErrors.ErrSyncerUnitBinlogEventFilter.WithMessage(
                    $"statement `{query.Query}` at {id} on {refused} is refused by a binlog filter rule"), writers, cancellationToken);
            pieces.AddRange(planned);
        }
        if (pieces.Count == 0)
        {
            // A DDL on a shadow table is recorded at once (keyed by its position: read again after a restart it is not added twice).
            if (planner.OnlineDdl.Dirty.Count > 0) await onlineDdl.PersistAsync(control, planner.OnlineDdl, cancellationToken);
            if (!insideTransaction) watermark.Done(position, query.Header.Timestamp);
            return;
        }
        if (insideTransaction)
            throw await blocked.BlockAsync(id, DmErrors.ErrSyncerUnsupportedStmt.WithMessage(
                $"`{shownSql}` at {id} changes the structure inside an upstream transaction that has not ended: not supported"), writers, cancellationToken);

        if (sharding is not null && CoordinatedTable(pieces) is { } shard)
        {
            await ApplyShardDdlAsync(query, position, pieces, shard, currentSchema, shownSql, cancellationToken);
            return;
        }
        if (settings.Optimistic && shards is not null && CoordinatedTable(pieces) is { } optimistic)
        {
            await ApplyOptimisticDdlAsync(query, position, pieces, optimistic, currentSchema, shownSql, progress, cancellationToken);
            return;
        }

        await writers.DrainAsync(cancellationToken);
        var marker = batchIds.Next();
        var changed = new List<(string Schema, string Table)>();
        for (var index = 0; index < pieces.Count; index++)
        {
            var piece = pieces[index];
            var done = progress is { } p && index < p.Done;
            var uncertain = progress is { InFlight: true } q && index == q.Done;
            await EnsureTrackedAsync(piece, cancellationToken);
            if (piece.TargetSql is not null && !done)
                changed.AddRange(await TrackShardsAsync(piece, cancellationToken));
            if (piece.Statement is DropDatabaseStatement drop)
                changed.AddRange(schemas.Tables(drop.Name).Select(t => (drop.Name, t)));
            if (piece.TargetSql is not null && !done)
            {
                await MarkDdlAsync(marker, id, index, inFlight: true, cancellationToken);
                try
                {
                    await ExecuteDdlAsync(piece.TargetSql, id, shownSql, uncertain, cancellationToken);
                }
                catch (DmException)
                {
                    // Refused: this piece is certainly not applied; a later run must meet the refusal again.
                    await MarkDdlAsync(marker, id, index, inFlight: false, CancellationToken.None);
                    throw;
                }
            }
            try
            {
                schemas.Apply(piece.Statement, currentSchema);
            }
            catch (SchemaTrackerException) when (done || uncertain)
            {
                // The target already has this piece (and the tracker may have loaded a table from it): take the result from there.
                foreach (var table in piece.Tables)
                {
                    schemas.Remove(table.Schema!, table.Name);
                    await schemas.LoadAsync(table.Schema!, table.Name, control, upstream, cancellationToken, targetOnly: true);
                }
            }
            catch (SchemaTrackerException e) when (piece.Statement is DropTableStatement or TruncateTableStatement or DropDatabaseStatement)
            {
                logger.LogDebug("tracker: {Error} (ignored for a drop)", e.Message);
            }
            catch (SchemaTrackerException e)
            {
                blocked.Block(id);
                throw DmErrors.ErrSchemaTrackerCannotExecDDL.WithMessage($"cannot track DDL `{shownSql}` at {id}: {e.Message}", e);
            }
            changed.AddRange(piece.Tables.Select(t => (t.Schema!, t.Name)));
            NoteShardTables(piece);
        }
        // A cut-over's records go in the transaction that moves the checkpoint past it: a restart before that applies them again.
        await checkpoints.WriteAfterDdlAsync(control, position, query.Header.Timestamp, changed.Distinct().ToList(), marker, cancellationToken,
            onlineDdl.Commands(planner.OnlineDdl));
        planner.OnlineDdl.ClearDirty();
        if (sharding is not null)
            foreach (var piece in pieces.Where(p => p.Statement is DropTableStatement or CreateTableStatement))
                foreach (var table in piece.Tables)
                    await ChangeMembersAsync((table.Schema!, table.Name), piece.Statement is CreateTableStatement, position, query.Header.Timestamp, cancellationToken);
    }

    /// <summary>
    /// A shard table was created or dropped while its sharding group meets a DDL. A dropped one leaves the group (what it
    /// held is still replayed): the others may now all have reached the DDL. A created one joins it: with the structure of a
    /// member that reached the DDL (created LIKE it, say) it has reached it too and is held with them; otherwise it must run
    /// the DDL as every member does, and its rows go on meanwhile (the target still has its structure).
    /// </summary>
    private async Task ChangeMembersAsync((string Schema, string Table) table, bool created, BinlogLocation position, uint timestamp,
        CancellationToken cancellationToken)
    {
        var target = shards!.TargetOf(table.Schema, table.Table);
        var group = sharding!.Group(target);
        if (group.ActiveDdls is not { } active) return;
        var members = await shards.GroupOfAsync(table.Schema, table.Table, upstream, cancellationToken);
        if (created && group.Synced.Any(s => schemas.Get(s.Schema, s.Table) is { } reached && schemas.Get(table.Schema, table.Table) is { } made
                && SameStructure(reached, made)))
        {
            logger.LogInformation("sync of {Task}: `{Schema}`.`{Table}` was created with the structure its sharding group's DDL leads to: it joins the group as having reached it",
                settings.Config.Name, table.Schema, table.Table);
            if (await ArriveAsync(table, target, active, position, cancellationToken))
                await ResolveAsync(target, active, position, timestamp, cancellationToken);
            return;
        }
        if (!created) group.Leave(table);
        group.Members = [.. members];
        progress.Sharding(sharding.Snapshot(null));
        await sharding.Meta.SaveAsync(control, group, cancellationToken);
        logger.LogInformation("sync of {Task}: `{Schema}`.`{Table}` {Change} the sharding group of `{TargetSchema}`.`{TargetTable}` while it meets [{Ddls}]",
            settings.Config.Name, table.Schema, table.Table, created ? "joins" : "leaves", target.Schema, target.Table, string.Join("; ", active));
        if (group.IsComplete(members)) await ResolveAsync(target, active, position, timestamp, cancellationToken);
    }

    /// <summary>Whether two tracked tables have the same columns (name, type, nullability, default) and indexes.</summary>
    private static bool SameStructure(TableInfo a, TableInfo b) =>
        a.Columns.Select(c => (c.Name.ToLowerInvariant(), c.ColumnType, c.Nullable, c.Default)).SequenceEqual(b.Columns.Select(c => (c.Name.ToLowerInvariant(), c.ColumnType, c.Nullable, c.Default)))
        && a.Indexes.Select(i => $"{i.Name}:{i.Kind}:{string.Join(",", i.Columns)}").Order(StringComparer.OrdinalIgnoreCase)
            .SequenceEqual(b.Indexes.Select(i => $"{i.Name}:{i.Kind}:{string.Join(",", i.Columns)}").Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The upstream table whose DDL the pieces are, when the sharding group of its target coordinates it (either mode):
    /// ALTER TABLE and index changes of a table routed to a target that is not its own name. Other DDLs run as usual.
    /// </summary>
    private static (string Schema, string Table)? CoordinatedTable(List<DdlPiece> pieces)
    {
        if (pieces.Count == 0 || pieces.Any(p => p.TargetSql is null || p.Tables.Count != 1
                || p.Statement is not (AlterTableStatement or CreateIndexStatement or DropIndexStatement)))
            return null;
        var table = (pieces[0].Tables[0].Schema!, pieces[0].Tables[0].Name);
        return pieces.All(p => p.Tables[0].Schema == table.Item1 && p.Tables[0].Name == table.Name) ? table : null;
    }

    /// <summary>
    /// DM's pessimistic shard DDL: the DDL is tracked for its shard at once (its later rows are planned with it) but not
    /// run; the shard is held (its later events wait) until every member of its sharding group on this source reached the
    /// same DDL, then the master's lock decides: the owner runs it on the target once, the others skip it; then every held
    /// event is replayed in safe mode and the checkpoint moves past.
    /// </summary>
    private async Task ApplyShardDdlAsync(QueryEvent query, BinlogLocation position, List<DdlPiece> pieces, (string Schema, string Table) table,
        string? currentSchema, string shownSql, CancellationToken cancellationToken)
    {
        var id = position.Position;
        var target = shards!.TargetOf(table.Schema, table.Table);
        var ddls = pieces.Select(p => p.TargetSql!).ToList();
        await writers.DrainAsync(cancellationToken);
        var group = sharding!.Group(target);
        if (group.ActiveDdls is null && !sharding.IsHeld(table))
        {
            // The group starts meeting a DDL: every member's structure as it is now is checkpointed (a run that starts again
            // from here tracks the DDLs anew from them, even when the target already has them).
            var members = await shards!.GroupOfAsync(table.Schema, table.Table, upstream, cancellationToken);
            foreach (var (schema, name) in members)
                if (schemas.Get(schema, name) is null) await schemas.LoadAsync(schema, name, control, upstream, cancellationToken);
            sharding.Start(target, watermark.Position);
            await checkpoints.WriteAfterDdlAsync(control, watermark.Position, 0, members.ToList(), [], cancellationToken);
        }
        foreach (var piece in pieces)
        {
            await EnsureTrackedAsync(piece, cancellationToken);
            try
            {
                schemas.Apply(piece.Statement, currentSchema);
            }
            catch (SchemaTrackerException e)
            {
                blocked.Block(id);
                throw DmErrors.ErrSchemaTrackerCannotExecDDL.WithMessage($"cannot track DDL `{shownSql}` at {id}: {e.Message}", e);
            }
        }
        if (sharding.IsHeld(table))
        {
            // A later DDL of a shard that already waits: it arrives in the group once the lock before it is resolved.
            sharding.Enqueue(new HeldStatement(table, ddls, position, query.Header.Timestamp));
            logger.LogInformation("sync of {Task}: `{Schema}`.`{Table}` queues `{Sql}` at {Position} behind the open shard DDL lock",
                settings.Config.Name, table.Schema, table.Table, shownSql, id);
            return;
        }
        if (!await ArriveAsync(table, target, ddls, position, cancellationToken)) return;
        await ResolveAsync(target, ddls, position, query.Header.Timestamp, cancellationToken);
    }

    /// <summary><paramref name="table"/> reached <paramref name="ddls"/>: it is held; true when its whole group on this source has.</summary>
    private async Task<bool> ArriveAsync((string Schema, string Table) table, (string Schema, string Table) target, IReadOnlyList<string> ddls,
        BinlogLocation at, CancellationToken cancellationToken)
    {
        var group = sharding!.Group(target);
        if (group.ActiveDdls is null) sharding.Start(target, sharding.Pin ?? watermark.Position);
        try
        {
            group.Arrive(table, ddls, at);
        }
        catch (DmException)
        {
            blocked.Block(at.Position);
            throw;
        }
        sharding.Hold(table, target);
        var members = await shards!.GroupOfAsync(table.Schema, table.Table, upstream, cancellationToken);
        group.Members = [.. members];
        var unsynced = group.Unsynced(members);
        progress.Sharding(sharding.Snapshot(null));
        await sharding.Meta.SaveAsync(control, group, cancellationToken);
        logger.LogInformation("sync of {Task}: `{Schema}`.`{Table}` reached shard DDL [{Ddls}] at {Position}; tables still to reach it on this source: {Unsynced}",
            settings.Config.Name, table.Schema, table.Table, string.Join("; ", ddls), at.Position,
            unsynced.Count == 0 ? "none" : string.Join(", ", unsynced.Select(u => $"`{u.Schema}`.`{u.Table}`")));
        return unsynced.Count == 0;
    }

    /// <summary>
    /// The whole group on this source reached <paramref name="ddls"/>: waits for the master's lock, runs the DDL when this
    /// source owns it, replays what the group's tables held (a held DDL may make the group meet its next DDL: then again),
    /// checkpoints past <paramref name="position"/> and tells the master.
    /// </summary>
    private async Task ResolveAsync((string Schema, string Table) target, IReadOnlyList<string> ddls, BinlogLocation position, uint timestamp,
        CancellationToken cancellationToken)
    {
        var resolved = new List<ShardDdlLockRequest>();
        var markers = new List<long>();
        var members = new HashSet<(string Schema, string Table)>();
        var firsts = new List<BinlogPosition>();
        IReadOnlyList<string>? next = ddls;
        while (next is not null)
        {
            var group = sharding!.Group(target);
            members.UnionWith(group.Synced);
            var request = new ShardDdlLockRequest(settings.Config.Name, settings.Config.SourceId, target.Item1, target.Item2, next);
            var at = group.FirstLocation!.Position;
            firsts.Add(at);
            ShardDdlDecision decision;
            if (sharding.ResolvedBefore(target, at))
            {
                // An earlier run resolved this lock (another group kept the checkpoint before it): the target has the DDL, and
                // the master has forgotten the lock, which asked again would wait for sources that went past it long ago.
                logger.LogInformation("sync of {Task}: shard DDL lock {Lock} [{Ddls}] was resolved before this run started: taken as done",
                    settings.Config.Name, request.LockId, string.Join("; ", next));
                decision = new ShardDdlDecision(request.LockId, Exec: false);
            }
            else
            {
                logger.LogInformation("sync of {Task}: shard DDL lock {Lock} [{Ddls}] reached by every table of this source: waiting for the master",
                    settings.Config.Name, request.LockId, string.Join("; ", next));
                progress.Sharding(sharding.Snapshot(request.LockId));
                decision = await settings.ShardDdl.LockAsync(request, cancellationToken);
                progress.Sharding(sharding.Snapshot(null));
            }
            if (decision.Error is not null)
            {
                blocked.Block(at);
                var error = DmErrors.All.FirstOrDefault(e => e.Code == decision.ErrorCode) ?? DmErrors.ErrMasterShardingDDLDiff;
                throw error.WithMessage(decision.Error);
            }
            if (decision.Exec)
            {
                var marker = batchIds.Next();
                markers.Add(marker);
                for (var index = 0; index < next.Count; index++)
                {
                    await MarkDdlAsync(marker, at, index, inFlight: true, cancellationToken);
                    await ExecuteDdlAsync(next[index], at, next[index], replay: true, cancellationToken);
                }
                logger.LogInformation("sync of {Task}: executed shard DDL [{Ddls}] of lock {Lock} (owner)", settings.Config.Name, string.Join("; ", next), request.LockId);
            }
            else
            {
                logger.LogInformation("sync of {Task}: skipped shard DDL [{Ddls}] of lock {Lock} (executed by the owner)", settings.Config.Name,
                    string.Join("; ", next), request.LockId);
            }
            resolved.Add(request);
            next = null;
            var requeue = new List<HeldEvent>();
            foreach (var item in sharding.Release(target))
            {
                if (sharding.IsHeld(item.Table))
                {
                    requeue.Add(item);
                    continue;
                }
                switch (item)
                {
                    case HeldTransaction held:
                        held.Transaction.End = position;
                        held.Transaction.Sequence = watermark.Next(position, held.Transaction.Timestamp);
                        await writers.DispatchAsync(held.Transaction, cancellationToken);
                        break;
                    case HeldStatement statement:
                        await writers.DrainAsync(cancellationToken);
                        if (await ArriveAsync(statement.Table, target, statement.Ddls, statement.At, cancellationToken))
                            next = statement.Ddls;
                        break;
                }
            }
            sharding.Requeue(target, requeue);
        }
        await writers.DrainAsync(cancellationToken);
        sharding!.Unpin();
        sharding.Resolved(target, firsts);
        progress.Sharding(sharding.Snapshot(null));
        // While another lock keeps the checkpoint before this one, the tracked structures stay as they were when it opened.
        await checkpoints.WriteAfterDdlAsync(control, position, timestamp, sharding.Active ? [] : members.ToList(), markers, cancellationToken,
            sharding.Meta.DoneCommands(target, resolved.Select(r => r.Ddls)));
        var after = sharding.Group(target);
        if (after.ActiveDdls is null) await sharding.Meta.DeleteAsync(control, target, cancellationToken);
        else await sharding.Meta.SaveAsync(control, after, cancellationToken);
        // Before the master hears of it: once it has, only this row tells a run that starts again at the pin that the lock is over.
        await sharding.Meta.SaveResolvedAsync(control, sharding.Pin?.Position, sharding.ResolvedSincePin, cancellationToken);
        foreach (var request in resolved) settings.ShardDdl.Done(request);
    }

    /// <summary>The tracker must know a table before a DDL changes it (ALTER, RENAME, index changes, CREATE ... LIKE).</summary>
    private async Task EnsureTrackedAsync(DdlPiece piece, CancellationToken cancellationToken)
    {
        if (piece.Statement is CreateTableStatement { } create && StatementTables.References(create).Count == 0) return;
        if (piece.Statement is DropTableStatement or DropDatabaseStatement or CreateDatabaseStatement or DropViewStatement or CreateViewStatement) return;
        var names = piece.Statement is RenameTableStatement r ? r.Pairs.Select(p => p.From).ToList()
            : piece.Statement is CreateTableStatement c ? [.. StatementTables.References(c)]
            : piece.Tables.Take(1).ToList();
        foreach (var name in names)
        {
            var schema = name.Schema ?? piece.Tables.FirstOrDefault()?.Schema ?? "";
            if (schemas.Get(schema, name.Name) is null)
                await schemas.LoadAsync(schema, name.Name, control, upstream, cancellationToken);
        }
    }

    /// <summary>
    /// Before a DDL changes a target table that other shards share, the tracker takes each of them that it has not met
    /// yet from that target as it still is: met later, a shard would be loaded from a target that already has this shard's
    /// change (and its own DDL would then fail as a duplicate). Returns the tables it took, for the DDL's checkpoint.
    /// </summary>
    private async Task<List<(string Schema, string Table)>> TrackShardsAsync(DdlPiece piece, CancellationToken cancellationToken)
    {
        var taken = new List<(string Schema, string Table)>();
        if (shards is null || piece.Statement is CreateTableStatement or DropTableStatement or DropDatabaseStatement or CreateDatabaseStatement) return taken;
        foreach (var table in piece.Tables)
            foreach (var (schema, name) in await shards.GroupOfAsync(table.Schema!, table.Name, upstream, cancellationToken))
                if (schemas.Get(schema, name) is null && await schemas.LoadAsync(schema, name, control, upstream, cancellationToken) is not null)
                    taken.Add((schema, name));
        return taken;
    }

    /// <summary>Tables created or dropped upstream join or leave their sharding group.</summary>
    private void NoteShardTables(DdlPiece piece)
    {
        if (shards is null) return;
        foreach (var table in piece.Tables)
        {
            if (piece.Statement is CreateTableStatement) shards.Add(table.Schema!, table.Name);
            else if (piece.Statement is DropTableStatement) shards.Remove(table.Schema!, table.Name);
        }
        if (piece.Statement is RenameTableStatement rename)
            foreach (var pair in rename.Pairs)
            {
                shards.Remove(pair.From.Schema ?? piece.Schema ?? "", pair.From.Name);
                shards.Add(pair.To.Schema ?? pair.From.Schema ?? piece.Schema ?? "", pair.To.Name);
            }
    }

    /// <summary>
    /// The DDL's progress row in the applied table: "ddl:&lt;pos&gt;@&lt;pieces done&gt;", with "?" while the next piece runs
    /// (a crash then leaves it unknown whether the target has it).
    /// </summary>
    private async Task MarkDdlAsync(long marker, BinlogPosition id, int done, bool inFlight, CancellationToken cancellationToken)
    {
        await using var command = new MySqlBatch(control);
        command.BatchCommands.Add(checkpoint.DdlProgressCommand(marker, id, done, inFlight));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (MySqlException e) when (checkpoint.IsFenced(e))
        {
            throw checkpoint.Fence.Fenced(); // the DDL is not run
        }
    }

    /// <summary>What an earlier run did of the DDL at <paramref name="id"/>, from its progress row (consumed).</summary>
    private (int Done, bool InFlight)? TakeDdlProgress(BinlogPosition id) => applied.TakeDdl(id);

    private async Task ExecuteDdlAsync(string sql, BinlogPosition id, string upstreamSql, bool replay, CancellationToken cancellationToken)
    {
        try
        {
            await DataConnections.ExecuteAsync(control, sql, cancellationToken);
        }
        catch (DataStatementException e) when (e.InnerException is MySqlException m)
        {
            var kind = DatabaseErrorPolicy.ClassifyDdl(e);
            // "The target already has this change" is accepted when replaying a DDL that an earlier run started (it left a
            // "ddl:" applied row: the crash came between the DDL and its checkpoint) and for merged shard tables.
            if ((replay || settings.Config.IsSharding) && kind == ErrorKind.AlreadyApplied)
            {
                logger.LogInformation("sync of {Task}: `{Sql}` at {Position} is already in the target ({Error})", settings.Config.Name, sql, id, m.Message);
                return;
            }
            if (kind == ErrorKind.Transient) throw; // auto-resume retries it
            blocked.Block(id);
            throw DmErrors.ErrSyncerUnitHandleDDLFailed.WithMessage(
                $"DDL `{upstreamSql}` at {id} failed on the target as `{sql}`: {m.Message} (use binlog skip/replace, or fix the target or the tracked schema)", m);
        }
    }

    private static IReadOnlyList<Statement> ParseReplacement(IReadOnlyList<string> sqls, BinlogPosition id)
    {
        try
        {
            return sqls.SelectMany(s => SqlParser.ParseAll(s)).ToList();
        }
        catch (SqlParseException e)
        {
            throw DmErrors.ErrSyncerParseDDL.WithMessage($"parse replacement DDL for {id}: {e.Message}", e);
        }
    }

    private const ulong AnsiQuotes = 4;
    private const ulong NoBackslashEscapes = 1UL << 20;

    private static LexerOptions? LexerOptionsOf(QueryEvent query) => query.SqlMode is { } mode && (mode & (AnsiQuotes | NoBackslashEscapes)) != 0
        ? new LexerOptions { AnsiQuotes = (mode & AnsiQuotes) != 0, NoBackslashEscapes = (mode & NoBackslashEscapes) != 0 }
        : null;
}
