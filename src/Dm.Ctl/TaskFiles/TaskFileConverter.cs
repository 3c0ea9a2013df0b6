using Dm.Core.Api;
using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Ctl.Master;

namespace Dm.Ctl.TaskFiles;

/// <summary>
/// A DM task.yaml turned into the OpenAPI task the master takes. The file itself travels in DM#'s
/// <c>task_config_file</c>: the master resolves the subtasks from it, so every key of the file is kept and applied
/// (or refused by the master, naming the key); the task's OpenAPI fields describe it for DM's OpenAPI clients.
/// </summary>
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
        var task = FilterRuleMerger.Merge(TaskConverter.ToApiTask(cfg, sources)) with { TaskConfigFile = ConfigFile.Read(path) };
        return (cfg, task);
    }
}
