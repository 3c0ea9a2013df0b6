using Dm.Core.Api;
using Dm.Core.Config;
using Dm.Master.Sources;

namespace Dm.Master.Tasks;

/// <summary>POST /tasks/converters: task JSON to DM's task YAML and back, against the stored sources.</summary>
public sealed class TaskConversion(TaskCompiler compiler)
{
    public async Task<ConverterTaskResponse> ConvertAsync(ConverterTaskRequest request, CancellationToken ct)
    {
        if (request.Task is { } task)
        {
            task = TaskRules.Adjust(task);
            var cfg = await compiler.ToTaskConfigAsync(task, ct);
            return new ConverterTaskResponse { Task = TaskService.Present(task), TaskConfigFile = cfg.ToYaml() };
        }
        if (string.IsNullOrEmpty(request.TaskConfigFile))
            throw TaskRules.Invalid("one of task or task_config_file must be given");

        var config = TaskConfig.FromYaml(request.TaskConfigFile);
        var sources = new Dictionary<string, SourceConfig>(StringComparer.Ordinal);
        foreach (var instance in config.MysqlInstances)
        {
            var stored = await SourceOf(instance.SourceId, ct);
            sources[instance.SourceId] = compiler.ToSourceConfig(stored);
        }
        var converted = TaskConverter.ToApiTask(config, sources);
        return new ConverterTaskResponse { Task = TaskService.Present(converted), TaskConfigFile = config.ToYaml() };
    }

    private Task<State.StoredSource> SourceOf(string name, CancellationToken ct) => compiler.Sources.RequireAsync(name, ct);
}
