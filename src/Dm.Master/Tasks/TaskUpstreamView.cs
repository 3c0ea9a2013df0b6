using Dm.Core.Api;
using Dm.Core.Errors;
using Dm.Core.Upstream;
using Dm.Master.Sources;
using Dm.Master.State;

namespace Dm.Master.Tasks;

/// <summary>What a task sees of one of its upstreams: schemas, tables and their migrate targets through its rules.</summary>
public sealed class TaskUpstreamView(TaskService tasks, SourceService sources)
{
    public async Task<GetTaskMigrateTargetsResponse> MigrateTargetsAsync(string task, string source, string? schemaPattern,
        string? tablePattern, CancellationToken ct)
    {
        var (mapping, inspector) = await OpenAsync(task, source, ct);
        await using var _ = inspector;
        var schemaFilter = string.IsNullOrEmpty(schemaPattern) ? null : TaskTableMapping.Wildcard(schemaPattern, System.Text.RegularExpressions.RegexOptions.None);
        var tableFilter = string.IsNullOrEmpty(tablePattern) ? null : TaskTableMapping.Wildcard(tablePattern, System.Text.RegularExpressions.RegexOptions.None);
        var data = new List<TaskMigrateTarget>();
        foreach (var schema in await inspector.ListSchemasAsync(ct))
        {
            if (!mapping.AllowsSchema(schema) || schemaFilter?.IsMatch(schema) == false) continue;
            foreach (var table in await inspector.ListBaseTablesAsync(schema, ct))
            {
                if (!mapping.AllowsTable(schema, table) || tableFilter?.IsMatch(table) == false) continue;
                var (targetSchema, targetTable) = mapping.Target(schema, table);
                data.Add(new TaskMigrateTarget { SourceSchema = schema, SourceTable = table, TargetSchema = targetSchema, TargetTable = targetTable });
            }
        }
        return new GetTaskMigrateTargetsResponse { Total = data.Count, Data = data };
    }

    public async Task<List<string>> SchemasAsync(string task, string source, CancellationToken ct)
    {
        var (mapping, inspector) = await OpenAsync(task, source, ct);
        await using var _ = inspector;
        var result = new List<string>();
        foreach (var schema in await inspector.ListSchemasAsync(ct))
        {
            if (!mapping.AllowsSchema(schema)) continue;
            var tables = await inspector.ListBaseTablesAsync(schema, ct);
            if (tables.Any(t => mapping.AllowsTable(schema, t))) result.Add(schema);
        }
        return result;
    }

    public async Task<List<string>> TablesAsync(string task, string source, string schema, CancellationToken ct)
    {
        var (mapping, inspector) = await OpenAsync(task, source, ct);
        await using var _ = inspector;
        if (!mapping.AllowsSchema(schema)) return [];
        return (await inspector.ListBaseTablesAsync(schema, ct)).Where(t => mapping.AllowsTable(schema, t)).ToList();
    }

    private async Task<(TaskTableMapping, UpstreamInspector)> OpenAsync(string task, string source, CancellationToken ct)
    {
        StoredTask stored = await tasks.RequireAsync(task, ct);
        if (!stored.SourceNames.Contains(source)) throw DmErrors.ErrSchedulerSourceCfgNotExist.New(source);
        var src = await sources.RequireAsync(source, ct);
        var mapping = new TaskTableMapping(stored.Task, source, src.CaseSensitive);
        return (mapping, await UpstreamInspector.ConnectAsync(sources.Endpoint(src), ct));
    }
}
