using Dm.Core.Api;
using Dm.Contracts;
using Dm.Core.Errors;
using Dm.Master.Sources;
using Dm.Master.Workers;

namespace Dm.Master.Tasks;

/// <summary>
/// The schema-tracker endpoints (<c>.../sources/{s}/schemas[/{db}[/{table}]]</c>): they act on the tracker
/// inside the Sync unit of the worker running the subtask, asked over the worker's query service. An update with <c>sync</c>
/// (DM's default) also gives the table's structure to the task's optimistic shard-DDL lock that holds the table.
/// </summary>
public sealed class TableStructureService(TaskService tasks, SourceService sources, WorkerQueryClient workers, ShardDdl.ShardDdlLocks shardDdlLocks)
{
    public async Task<List<string>> SchemasAsync(string task, string source, CancellationToken ct)
    {
        var client = await ConnectAsync(task, source, ct);
        var reply = await WorkerQueryClient.CallAsync(source,
            () => client.ListSchemasAsync(Subtask(task, source), workers.Options(ct)), r => r.Error);
        return reply.Names.ToList();
    }

    public async Task<List<string>> TablesAsync(string task, string source, string schema, CancellationToken ct)
    {
        var client = await ConnectAsync(task, source, ct);
        var reply = await WorkerQueryClient.CallAsync(source,
            () => client.ListTablesAsync(new SchemaRef { Subtask = Subtask(task, source), Schema = schema }, workers.Options(ct)), r => r.Error);
        return reply.Names.ToList();
    }

    public async Task<GetTaskTableStructureResponse> GetAsync(string task, string source, string schema, string table, CancellationToken ct)
    {
        var client = await ConnectAsync(task, source, ct);
        var reply = await WorkerQueryClient.CallAsync(source,
            () => client.GetTableAsync(Table(task, source, schema, table), workers.Options(ct)), r => r.Error);
        return new GetTaskTableStructureResponse { SchemaName = schema, TableName = table, SchemaCreateSql = reply.CreateTable };
    }

    public async Task OperateAsync(string task, string source, string schema, string table, OperateTaskTableStructureRequest request,
        CancellationToken ct)
    {
        var kind = request.SchemaSource ?? SchemaSource.Sql;
        if (kind == SchemaSource.Sql && string.IsNullOrWhiteSpace(request.SqlContent))
            throw TaskRules.Invalid("sql_content must be given when schema_source is sql");
        if (kind != SchemaSource.Sql && !string.IsNullOrEmpty(request.SqlContent))
            throw TaskRules.Invalid($"sql_content must be omitted when schema_source is {kind.ToString().ToLowerInvariant()}");
        var client = await ConnectAsync(task, source, ct);
        var set = new SetTableRequest
        {
            Table = Table(task, source, schema, table),
            From = kind switch
            {
                SchemaSource.Upstream => TableStructureSource.Upstream,
                SchemaSource.Downstream => TableStructureSource.Downstream,
                _ => TableStructureSource.Sql,
            },
            Sql = request.SqlContent ?? "",
            // DM flushes the new structure to the checkpoint unless told not to.
            Flush = request.Flush ?? true,
        };
        await WorkerQueryClient.CallAsync(source, () => client.SetTableAsync(set, workers.Options(ct)), r => r.Error);
        // DM's --sync (default on): the table's new structure also replaces the one an optimistic shard-DDL lock holds for it.
        if (request.Sync ?? true)
        {
            var reply = await WorkerQueryClient.CallAsync(source,
                () => client.GetTableAsync(Table(task, source, schema, table), workers.Options(ct)), r => r.Error);
            await shardDdlLocks.SyncOptimisticTableAsync(task, source, schema, table, reply.CreateTable, ct);
        }
    }

    public async Task DeleteAsync(string task, string source, string schema, string table, CancellationToken ct)
    {
        var client = await ConnectAsync(task, source, ct);
        await WorkerQueryClient.CallAsync(source,
            () => client.DeleteTableAsync(Table(task, source, schema, table), workers.Options(ct)), r => r.Error);
    }

    /// <summary>DM's checks in order: the task, the source in it, the source itself, then the worker bound to it.</summary>
    private async Task<WorkerQuery.WorkerQueryClient> ConnectAsync(string task, string source, CancellationToken ct)
    {
        var stored = await tasks.RequireAsync(task, ct);
        if (!stored.SourceNames.Contains(source)) throw DmErrors.ErrSchedulerSourceCfgNotExist.New(source);
        await sources.RequireAsync(source, ct);
        return (await workers.ConnectAsync(source, ct)).Client;
    }

    private static SubtaskRef Subtask(string task, string source) => new() { Task = task, Source = source };

    private static TableRef Table(string task, string source, string schema, string table) =>
        new() { Subtask = Subtask(task, source), Schema = schema, Table = table };
}
