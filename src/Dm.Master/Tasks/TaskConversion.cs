using Dm.Core.Api;
using Dm.Master.Sources;

namespace Dm.Master.Tasks;

/// <summary>POST /tasks/converters: task JSON to DM's task YAML and back.</summary>
public sealed class TaskConversion(SourceService sources)
{
    public Task<ConverterTaskResponse> ConvertAsync(ConverterTaskRequest request, CancellationToken ct)
    {
        if (request.Task == null && string.IsNullOrEmpty(request.TaskConfigFile))
            throw TaskRules.Invalid("one of task or task_config_file must be given");
        _ = sources;
        throw TaskRules.Invalid("task conversion is not available yet in this build");
    }
}
