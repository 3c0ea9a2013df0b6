using Dm.Core.Api;
using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Core.Rules;
using Dm.Core.Upstream;

namespace Dm.Master.Tasks;

/// <summary>
/// What a task sees of one of its upstreams: its tables and their migrate targets, through the
/// block-allow list and routes of its subtask for that source (DM's rule engines, not a copy of them).
/// </summary>
public sealed class TaskUpstreamView(TaskService tasks, TaskCompiler compiler)
{
    public async Task<GetTaskMigrateTargetsResponse> MigrateTargetsAsync(string task, string source, string? schemaPattern,
        string? tablePattern, CancellationToken ct)
    {
        var (subTask, inspector) = await OpenAsync(task, source, ct);
        await using var _ = inspector;
        var allowed = await AllowedTablesAsync(subTask, inspector, ct);
        var data = MigrateTargets.Compute(subTask.CreateBlockAllowListFilter(), subTask.CreateTableRouter(), allowed, schemaPattern, tablePattern)
            .Select(t => new TaskMigrateTarget
            {
                SourceSchema = t.SourceSchema, SourceTable = t.SourceTable, TargetSchema = t.TargetSchema, TargetTable = t.TargetTable,
            })
            .ToList();
        return new GetTaskMigrateTargetsResponse { Total = data.Count, Data = data };
    }

    private static async Task<List<(string Schema, string Table)>> AllowedTablesAsync(SubTaskConfig subTask, UpstreamInspector inspector,
        CancellationToken ct)
    {
        var filter = subTask.CreateBlockAllowListFilter();
        var result = new List<(string, string)>();
        foreach (var schema in await inspector.ListSchemasAsync(ct))
        {
            if (SystemSchemas.Contains(schema) || !filter.Match(schema, "")) continue;
            foreach (var table in await inspector.ListBaseTablesAsync(schema, ct))
                if (filter.Match(schema, table)) result.Add((schema, table));
        }
        return result;
    }

    private async Task<(SubTaskConfig, UpstreamInspector)> OpenAsync(string task, string source, CancellationToken ct)
    {
        var stored = await tasks.RequireAsync(task, ct);
        if (!stored.SourceNames.Contains(source)) throw DmErrors.ErrSchedulerSourceCfgNotExist.New(source);
        var subTask = (await compiler.SubTasksAsync(stored.Task, ct)).Single(s => s.SourceId == source);
        return (subTask, await UpstreamInspector.ConnectAsync(TaskCompiler.Endpoint(subTask.From), ct));
    }
}
