using Dm.Core.Api;
using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Ctl.Master;
using Dm.Ctl.Output;

namespace Dm.Ctl.TaskFiles;

/// <summary>A DM task.yaml turned into the OpenAPI task the master takes, refusing what the API cannot carry.</summary>
public static class TaskFileConverter
{
    public static async Task<(TaskConfig Config, DmTask Task)> ConvertAsync(MasterClient master, string path, CancellationToken ct)
    {
        var cfg = ConfigFile.ReadTask(path);
        var sources = new Dictionary<string, SourceConfig>(StringComparer.Ordinal);
        foreach (var instance in cfg.MysqlInstances)
        {
            var node = await master.GetOrNullAsync($"/api/v1/sources/{MasterClient.Escape(instance.SourceId)}", ct)
                       ?? throw DmErrors.ErrSchedulerSourceCfgNotExist.New(instance.SourceId);
            sources[instance.SourceId] = SourceConverter.ToSourceConfig(MasterClient.FromBody<Source>(node));
        }
        var task = FilterRuleMerger.Merge(TaskConverter.ToApiTask(cfg, sources));

        var fromYaml = cfg.ToSubTasks(sources);
        var fromApi = TaskConverter.ToSubTasks(task, sources);
        var tables = new Dictionary<string, List<(string, string)>>(StringComparer.Ordinal);
        foreach (var source in sources.Keys) tables[source] = await UpstreamTables.ListAsync(master, source, ct);
        var differences = TaskFidelity.Differences(fromYaml, fromApi, tables);
        if (differences.Count > 0)
            throw CtlException.Unsupported($"start-task {path}",
                "an endpoint that takes DM's task YAML unchanged, like DM's StartTask; through the OpenAPI task this file would change:\n  - "
                + string.Join("\n  - ", differences));
        return (cfg, task);
    }
}
