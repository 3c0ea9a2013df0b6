using Dm.Core.Config;
using Dm.Core.Rules;
using Dm.Core.Upstream;
using Dm.Master.Precheck;

namespace Dm.Master.Tasks;

/// <summary>
/// DM#'s own addition to check-task (DM's checker has no such item): each source must have at least one table
/// the task's block-allow list selects, since a pattern that matches nothing is almost always a typo that would
/// otherwise start a task copying nothing. A failure when the task copies data, a warning for incremental tasks
/// (their tables may be created later). Filed under <c>table_schema</c>, so ignoring that item skips it.
/// </summary>
public static class MigratedTablesCheck
{
    public const string Name = "source tables to migrate";

    public static async Task<CheckResult> RunAsync(IReadOnlyList<SubTaskConfig> subTasks, CancellationToken ct)
    {
        var result = new CheckResult
        {
            Item = CheckingItems.TableSchema,
            Name = Name,
            Desc = "check that the block-allow list selects at least one table on each source",
            State = CheckState.Success,
        };
        foreach (var subTask in subTasks)
        {
            if (await CountAsync(subTask, ct) > 0) continue;
            var message = $"the block-allow list of source {subTask.SourceId} matches no table of that source";
            const string instruction = "Please check `block-allow-list` (do-dbs, do-tables, ignore-*) in the task configuration file.";
            result.Add(TaskConfig.HasDump(subTask.Mode) ? CheckError.Failure(message, instruction) : CheckError.Warning(message, instruction));
        }
        return result;
    }

    private static async Task<int> CountAsync(SubTaskConfig subTask, CancellationToken ct)
    {
        var filter = subTask.CreateBlockAllowListFilter();
        await using var inspector = await UpstreamInspector.ConnectAsync(TaskCompiler.Endpoint(subTask.From), ct);
        var count = 0;
        foreach (var schema in await inspector.ListSchemasAsync(ct))
        {
            if (SystemSchemas.Contains(schema) || !filter.Match(schema, "")) continue;
            count += (await inspector.ListBaseTablesAsync(schema, ct)).Count(table => filter.Match(schema, table));
        }
        return count;
    }
}
