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
            // A task made from a task.yaml (DM#'s task_config_file) is shown as that file, every key as given.
            var file = task.TaskConfigFile is { Length: > 0 } given ? DmTaskFile.HidePassword(given) : cfg.ToYaml();
            return new ConverterTaskResponse { Task = TaskService.Present(task), TaskConfigFile = file };
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
        // The task carries the file itself too (DM#'s task_config_file, as dmctl start-task sends it), so that keys the
        // OpenAPI task has no field for (syncers' compact, queue-size, ...) are not lost when the task is created from it.
        var converted = TaskConverter.ToApiTask(config, sources) with { TaskConfigFile = request.TaskConfigFile };
        return new ConverterTaskResponse { Task = TaskService.Present(converted), TaskConfigFile = config.ToYaml() };
    }

    private Task<State.StoredSource> SourceOf(string name, CancellationToken ct) => compiler.Sources.RequireAsync(name, ct);
}
