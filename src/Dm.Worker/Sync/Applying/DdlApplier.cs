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
internal sealed class DdlApplier(SyncSettings settings, DdlPlanner planner, TrackedSchemas schemas, MySqlConnection control,
    Func<CancellationToken, Task<MySqlConnection>> upstream, WriterPool writers, SyncCheckpointTable checkpoint, CheckpointWriter checkpoints,
    CommitWatermark watermark, AppliedRecords applied, BatchIds batchIds, BlockedEvent blocked, OnlineDdlTable onlineDdl,
    ConcurrentDictionary<BinlogPosition, (SyncErrorOperation Operation, IReadOnlyList<string> Statements)> errorOperations, ILogger logger)
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

        await writers.DrainAsync(cancellationToken);
        var marker = batchIds.Next();
        var changed = new List<(string Schema, string Table)>();
        for (var index = 0; index < pieces.Count; index++)
        {
            var piece = pieces[index];
            var done = progress is { } p && index < p.Done;
            var uncertain = progress is { InFlight: true } q && index == q.Done;
            await EnsureTrackedAsync(piece, cancellationToken);
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
        }
        // A cut-over's records go in the transaction that moves the checkpoint past it: a restart before that applies them again.
        await checkpoints.WriteAfterDdlAsync(control, position, query.Header.Timestamp, changed.Distinct().ToList(), marker, cancellationToken,
            onlineDdl.Commands(planner.OnlineDdl));
        planner.OnlineDdl.ClearDirty();
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
