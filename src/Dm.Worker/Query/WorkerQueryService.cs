using Dm.Binlog.Replication;
using Dm.Contracts;
using Dm.Worker.Sync;
using Grpc.Core;

namespace Dm.Worker.Query;

/// <summary>
/// The worker's end of the master's live queries: the schema tracker and the error operations of one
/// subtask's Sync unit, and the purge of the relay log it pulls. Failures travel in the reply (DM code and message), never as a gRPC fault.
/// </summary>
public sealed class WorkerQueryService(SyncControlLocator locator, Relay.RelayService relay, ILogger<WorkerQueryService> logger) : WorkerQuery.WorkerQueryBase
{
    public override Task<NamesReply> ListSchemas(SubtaskRef request, ServerCallContext context) =>
        Answer(request, () =>
        {
            var reply = new NamesReply();
            reply.Names.AddRange(locator.Require(request).ListSchemas());
            return Task.FromResult(reply);
        }, e => new NamesReply { Error = e });

    public override Task<NamesReply> ListTables(SchemaRef request, ServerCallContext context) =>
        Answer(request.Subtask, () =>
        {
            var control = locator.Require(request.Subtask);
            // DM's tracker refuses to list a schema it does not know rather than answer an empty list.
            if (!control.ListSchemas().Contains(request.Schema, StringComparer.Ordinal))
                throw Dm.Core.Errors.DmErrors.ErrSchemaTrackerUnSchemaNotExist.New(request.Schema);
            var reply = new NamesReply();
            reply.Names.AddRange(control.ListTables(request.Schema));
            return Task.FromResult(reply);
        }, e => new NamesReply { Error = e });

    public override Task<TableReply> GetTable(TableRef request, ServerCallContext context) =>
        Answer(request.Subtask, () =>
        {
            var sql = locator.Require(request.Subtask).GetCreateTable(request.Schema, request.Table)
                ?? throw Dm.Core.Errors.DmErrors.ErrSchemaTrackerCannotGetTable.New(TableName(request));
            return Task.FromResult(new TableReply { CreateTable = sql });
        }, e => new TableReply { Error = e });

    public override Task<QueryReply> SetTable(SetTableRequest request, ServerCallContext context) =>
        Answer(request.Table.Subtask, async () =>
        {
            var control = locator.Require(request.Table.Subtask);
            var (schema, table, ct) = (request.Table.Schema, request.Table.Table, context.CancellationToken);
            if (request.From == TableStructureSource.Sql)
                await control.SetCreateTableAsync(schema, table, request.Sql, request.Flush, ct);
            else
                await control.SetCreateTableFromAsync(schema, table, request.From == TableStructureSource.Downstream, request.Flush, ct);
            return new QueryReply();
        }, e => new QueryReply { Error = e });

    public override Task<QueryReply> DeleteTable(TableRef request, ServerCallContext context) =>
        Answer(request.Subtask, async () =>
        {
            if (!await locator.Require(request.Subtask).DeleteTableAsync(request.Schema, request.Table, context.CancellationToken))
                throw Dm.Core.Errors.DmErrors.ErrSchemaTrackerCannotDropTable.New(TableName(request));
            return new QueryReply();
        }, e => new QueryReply { Error = e });

    public override Task<QueryReply> HandleError(HandleErrorRequest request, ServerCallContext context) =>
        Answer(request.Subtask, () =>
        {
            var operation = request.Operation == ErrorOperationKind.Replace ? SyncErrorOperation.Replace : SyncErrorOperation.Skip;
            locator.Require(request.Subtask).HandleError(operation, ContractMapping.ToPosition(request.Position), request.Statements.ToList());
            return Task.FromResult(new QueryReply());
        }, e => new QueryReply { Error = e });

    public override Task<ErrorOperationsReply> ListErrorOperations(ErrorOperationRef request, ServerCallContext context) =>
        Answer(request.Subtask, () =>
        {
            var reply = new ErrorOperationsReply();
            var position = ContractMapping.ToPosition(request.Position);
            foreach (var (at, operation, statements) in locator.Require(request.Subtask).ListErrorOperations())
            {
                if (position != null && at != position) continue;
                var item = new ErrorOperation
                {
                    Position = ContractMapping.ToMessage(at),
                    Operation = operation == SyncErrorOperation.Replace ? ErrorOperationKind.Replace : ErrorOperationKind.Skip,
                };
                item.Statements.AddRange(statements);
                reply.Operations.Add(item);
            }
            return Task.FromResult(reply);
        }, e => new ErrorOperationsReply { Error = e });

    public override Task<QueryReply> RevertErrorOperation(ErrorOperationRef request, ServerCallContext context) =>
        Answer(request.Subtask, () =>
        {
            var position = ContractMapping.ToPosition(request.Position);
            if (!locator.Require(request.Subtask).RevertErrorOperation(position))
                throw Dm.Core.Errors.DmErrors.ErrSyncerOperatorNotExist.New(position?.ToString() ?? "");
            return Task.FromResult(new QueryReply());
        }, e => new QueryReply { Error = e });

    public override async Task<PurgeRelayReply> PurgeRelay(PurgeRelayRequest request, ServerCallContext context)
    {
        try
        {
            var reply = new PurgeRelayReply();
            reply.Removed.AddRange(await relay.PurgeAsync(request.Source, request.FileName, request.SubDir, context.CancellationToken));
            logger.LogInformation("relay purge of {Source} before {File}: {Count} files removed", request.Source, request.FileName, reply.Removed.Count);
            return reply;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var error = QueryErrors.From(e);
            logger.LogInformation("relay purge of {Source} refused: [code={Code}] {Message}", request.Source, error.Code, error.Message);
            return new PurgeRelayReply { Error = error };
        }
    }

    private static string TableName(TableRef t) => $"`{t.Schema}`.`{t.Table}`";

    private async Task<T> Answer<T>(SubtaskRef subtask, Func<Task<T>> run, Func<QueryError, T> failed)
    {
        try
        {
            return await run();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var error = QueryErrors.From(e);
            if (e is Dm.Core.Errors.DmException)
                logger.LogInformation("query on subtask {Task} refused: [code={Code}] {Message}", subtask.Task, error.Code, error.Message);
            else
                logger.LogWarning(e, "query on subtask {Task} failed", subtask.Task);
            return failed(error);
        }
    }
}
