using Dm.Core.Api;
using Dm.Core.Errors;
using Dm.Master.Sources;
using Dm.Master.State;

namespace Dm.Master.Tasks;

/// <summary>
/// The schema-tracker endpoints (<c>.../schemas/{db}/{table}</c>): they act on the tracker inside the
/// worker running the subtask, so the source must be bound to a worker (else DM's 40070).
/// </summary>
public sealed class TableStructureService(TaskService tasks, SourceService sources, MasterState state)
{
    public async Task<GetTaskTableStructureResponse> GetAsync(string task, string source, string schema, string table, CancellationToken ct)
    {
        await RequireBoundAsync(task, source, ct);
        throw DmErrors.ErrMasterWorkerCliNotFound.New(source);
    }

    public async Task OperateAsync(string task, string source, string schema, string table, OperateTaskTableStructureRequest request,
        CancellationToken ct)
    {
        var kind = request.SchemaSource ?? SchemaSource.Sql;
        if (kind == SchemaSource.Sql && string.IsNullOrWhiteSpace(request.SqlContent))
            throw TaskRules.Invalid("sql_content must be given when schema_source is sql");
        if (kind != SchemaSource.Sql && !string.IsNullOrEmpty(request.SqlContent))
            throw TaskRules.Invalid($"sql_content must be omitted when schema_source is {kind.ToString().ToLowerInvariant()}");
        await RequireBoundAsync(task, source, ct);
        throw DmErrors.ErrMasterWorkerCliNotFound.New(source);
    }

    public async Task DeleteAsync(string task, string source, string schema, string table, CancellationToken ct)
    {
        await RequireBoundAsync(task, source, ct);
        throw DmErrors.ErrMasterWorkerCliNotFound.New(source);
    }

    /// <summary>DM's checks in order: the task, the source in it, then a worker bound to the source.</summary>
    private async Task RequireBoundAsync(string task, string source, CancellationToken ct)
    {
        var stored = await tasks.RequireAsync(task, ct);
        if (!stored.SourceNames.Contains(source)) throw DmErrors.ErrSchedulerSourceCfgNotExist.New(source);
        await sources.RequireAsync(source, ct);
        if (!(await state.BoundsAsync(ct)).ContainsKey(source)) throw DmErrors.ErrWorkerNoStart.New();
    }
}
