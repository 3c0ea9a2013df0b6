using Dm.Core.Api;
using Dm.Core.Errors;

namespace Dm.Core.Config;

// POST /api/v1/tasks/converters: task JSON → task YAML text, or YAML text → task JSON.
public static partial class TaskConverter
{
    /// <summary>
    /// With <c>task</c>: returns it (adjusted) and its task.yaml. With <c>task_config_file</c>: decodes it
    /// strictly, validates it and returns both forms. Neither → 49001. Sources must exist (20031).
    /// </summary>
    public static ConverterTaskResponse Convert(ConverterTaskRequest request, IReadOnlyDictionary<string, SourceConfig> sources)
    {
        if (request.Task is { } task)
        {
            var adjusted = ApiTaskDefaults.Adjust(task);
            var cfg = ToTaskConfig(adjusted, sources);
            return new ConverterTaskResponse
            {
                Task = adjusted,
                TaskConfigFile = adjusted.TaskConfigFile is { Length: > 0 } file ? DmTaskFile.HidePassword(file) : cfg.ToYaml(),
            };
        }
        if (request.TaskConfigFile is { Length: > 0 } yaml)
        {
            var cfg = TaskConfig.FromYaml(yaml);
            var apiTask = ToApiTask(cfg, sources);
            return new ConverterTaskResponse { Task = apiTask, TaskConfigFile = cfg.ToYaml() };
        }
        throw DmErrors.ErrOpenAPICommonError.WithMessage("request body is invalid one of `task` or `task_config_file` must be entered.");
    }
}
