using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Core.Upstream;
using Dm.Master.Precheck;

namespace Dm.Master.Tasks;

/// <summary>
/// DM's check-task: the task.yaml gets the validation and pre-check that creating it would run, and nothing
/// is stored. The rules the pre-check applies come from the file itself (not from its OpenAPI conversion), so
/// the tables checked are the ones the file names. One item beyond start-task's: <see cref="MigratedTablesCheck"/>.
/// </summary>
public sealed class TaskCheckService(TaskCompiler compiler, TaskService tasks)
{
    private const int DefaultShown = 10;

    public async Task<TaskCheckResponse> CheckAsync(TaskCheckRequest request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.TaskConfigFile))
            throw TaskRules.Invalid("task_config_file must hold the task's YAML");
        if (request.ErrorCount is < 0 || request.WarnCount is < 0)
            throw TaskRules.Invalid("error_count and warn_count must not be negative");
        if (request.StartTime is { Length: > 0 } st && !StartTimeText.IsValid(st))
            throw TaskRules.Invalid($"start_time \"{st}\" must look like 2006-01-02 15:04:05, 2006-01-02T15:04:05 or with a UTC offset");

        var cfg = TaskConfig.FromYaml(request.TaskConfigFile);
        cfg.Validate();
        var sources = new Dictionary<string, SourceConfig>(StringComparer.Ordinal);
        foreach (var instance in cfg.MysqlInstances)
            sources[instance.SourceId] = compiler.ToSourceConfig(await compiler.Sources.RequireAsync(instance.SourceId, ct));

        // The same checks as creating the task: the API form (names, references) and DM's task config.
        var task = TaskRules.Adjust(TaskConverter.ToApiTask(cfg, sources));
        await compiler.ToRunnableTaskConfigAsync(task, ct);
        if (cfg.TaskMode == TaskModes.Incremental && string.IsNullOrEmpty(request.StartTime))
            foreach (var instance in cfg.MysqlInstances.Where(i => i.Meta == null))
                throw DmErrors.ErrConfigMetadataNotSet.New(instance.SourceId, TaskModes.Incremental);

        var subTasks = cfg.ToSubTasks(sources);
        var precheck = compiler.PrecheckRequest(task, subTasks, sources, tasks.CheckedTarget(task with { TaskConfigFile = request.TaskConfigFile })) with
        {
            ErrorLimit = request.ErrorCount ?? DefaultShown,
            WarnLimit = request.WarnCount ?? DefaultShown,
        };
        var startedAt = TimeProvider.System.GetTimestamp();
        try
        {
            var report = await TaskPrecheck.RunAsync(precheck, ct);
            if (CheckingItemSelection.ToRun(precheck.IgnoreCheckingItems).Contains(CheckingItems.TableSchema))
            {
                var results = report.Results.Append(await MigratedTablesCheck.RunAsync(subTasks, ct)).ToList();
                for (var i = 0; i < results.Count; i++) results[i].Id = i;
                report = new PrecheckReport(results, precheck.ErrorLimit, precheck.WarnLimit);
            }
            return new TaskCheckResponse { Result = true, Msg = report.CheckResultMessage() };
        }
        catch (UpstreamException e)
        {
            // A failed item (26005) or a database that could not be read (26002): a check result, not a bad request.
            var error = DmErrors.ByCode(e.Code) ?? DmErrors.ErrDBDriverError;
            if (UnansweredConnect.In(e))
            {
                // No MySQL server answered: one message and one time, whatever the driver said (its words stay out).
                await UnansweredConnect.PadAsync(TimeProvider.System, startedAt, ct);
                return new TaskCheckResponse { Result = false, Msg = new DmException(error, e.Message).ToErrorMessage() };
            }
            return new TaskCheckResponse { Result = false, Msg = new DmException(error, e.Message, e.InnerException).ToErrorMessage() };
        }
    }
}
