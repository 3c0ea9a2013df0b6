using Dm.ClusterState;
using Dm.Core.Api;
using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Core.Upstream;
using Dm.Master.Precheck;
using Dm.Master.Sources;
using Dm.Master.State;

namespace Dm.Master.Tasks;

/// <summary>
/// Tasks: create/update with validation and pre-check, stages (start/stop recorded as the expected
/// stage per source), status, deletion with the downstream meta tables, and what a task sees of its
/// upstreams (migrate targets, schemas and tables through its rules).
/// </summary>
public sealed class TaskService(IClusterStore store, MasterGate gate, SourceService sources, PasswordCipher secrets,
    TaskCompiler compiler, Workers.WorkerStatusBoard statuses, ShardDdl.ShardDdlLocks shardDdlLocks, ILogger<TaskService> logger)
{
    private readonly MasterState _state = new(store);

    public async Task<OperateTaskResponse> CreateAsync(CreateTaskRequest request, CancellationToken ct)
    {
        var task = TaskRules.Adjust(request.Task);
        using var entered = await gate.EnterAsync(ct);
        if (await _state.TaskAsync(task.Name, ct) != null)
            throw DmErrors.ErrSchedulerSubTaskExist.New(task.Name, task.SourceConfig.SourceConf.Select(s => s.SourceName).ToList());
        var checkResult = await CheckAsync(task, ct);
        var stored = new StoredTask { Task = Protect(task) };
        var ops = new List<TxnOp> { MasterState.Put(stored) };
        ops.AddRange(stored.SourceNames.Select(s => MasterState.Put(new SubtaskStage(s, task.Name, TaskStage.Stopped))));
        var result = await store.TxnAsync([Compare.NotExists(MasterKeys.Task(task.Name))], ops, ct: ct);
        if (!result.Succeeded) throw DmErrors.ErrSchedulerSubTaskExist.New(task.Name, stored.SourceNames);
        return new OperateTaskResponse { Task = Present(task), CheckResult = checkResult };
    }

    public async Task<GetTaskListResponse> ListAsync(bool withStatus, string? stage, IReadOnlyList<string>? sourceNames, CancellationToken ct)
    {
        var tasks = await _state.TasksAsync(ct);
        var stages = await _state.StagesAsync(ct);
        var data = new List<DmTask>();
        foreach (var stored in tasks)
        {
            var status = await StatusListAsync(stored, null, stages, ct);
            if (stage != null && !status.All(s => s.Stage.ToString() == stage)) continue;
            if (sourceNames != null && !stored.SourceNames.Order(StringComparer.Ordinal)
                    .SequenceEqual(sourceNames.Distinct().Order(StringComparer.Ordinal))) continue;
            data.Add(Present(stored.Task) with { StatusList = withStatus ? status : null });
        }
        return new GetTaskListResponse { Total = data.Count, Data = data };
    }

    public async Task<DmTask> GetAsync(string name, bool withStatus, CancellationToken ct)
    {
        var stored = await RequireAsync(name, ct);
        var status = withStatus ? await StatusListAsync(stored, null, await _state.StagesAsync(ct), ct) : null;
        return Present(stored.Task) with { StatusList = status };
    }

    public async Task<OperateTaskResponse> UpdateAsync(string name, UpdateTaskRequest request, CancellationToken ct)
    {
        var task = TaskRules.Adjust(request.Task);
        if (task.Name != name) throw TaskRules.Invalid($"task name \"{task.Name}\" in the body differs from \"{name}\" in the path");
        using var entered = await gate.EnterAsync(ct);
        var old = await RequireAsync(name, ct);
        var stages = (await _state.StagesAsync(ct)).Where(s => s.Task == name).ToList();
        var running = stages.FirstOrDefault(s => s.Expect == TaskStage.Running);
        if (running != null) throw DmErrors.ErrSchedulerSubTaskCfgUpdate.New(name, running.Source);
        if (FieldsChangedUnderSameFile(old.Task, task))
            throw TaskRules.Invalid("the task's OpenAPI fields changed but its task_config_file did not, and the file decides what runs: " +
                                    "change the file, or leave task_config_file out to run the task from its OpenAPI fields");
        var changed = ImmutableFieldChanged(old.Task, task);
        if (changed != null)
            throw DmErrors.ErrSchedulerSubTaskCfgUpdate.Wrap(new ArgumentException($"fields that should not be changed: {changed}"),
                name, string.Join(",", old.SourceNames));
        var checkResult = await CheckAsync(task, ct);

        var stored = new StoredTask { Task = Protect(task) };
        var ops = new List<TxnOp> { MasterState.Put(stored) };
        foreach (var removed in old.SourceNames.Except(stored.SourceNames))
        {
            ops.Add(TxnOp.Delete(MasterKeys.SubtaskStage(removed, name)));
            ops.Add(TxnOp.Delete(MasterKeys.TaskCliArgs(name, removed)));
        }
        foreach (var added in stored.SourceNames.Except(old.SourceNames))
            ops.Add(MasterState.Put(new SubtaskStage(added, name, TaskStage.Stopped)));
        await store.TxnAsync([Compare.Exists(MasterKeys.Task(name))], ops, ct: ct);
        foreach (var removed in old.SourceNames.Except(stored.SourceNames)) await shardDdlLocks.ForgetSourceAsync(name, removed, ct);
        return new OperateTaskResponse { Task = Present(task), CheckResult = checkResult };
    }

    public async Task DeleteAsync(string name, bool force, bool keepMeta, CancellationToken ct)
    {
        using var entered = await gate.EnterAsync(ct);
        var stored = await RequireAsync(name, ct);
        var stages = (await _state.StagesAsync(ct)).Where(s => s.Task == name).ToList();
        if (!force && stages.Any(s => s.Expect is not (TaskStage.Paused or TaskStage.Stopped)))
            throw TaskRules.Invalid($"task {name} have running subtasks, please stop them or delete task with force.");
        var ops = new List<TxnOp>
        {
            TxnOp.Delete(MasterKeys.Task(name)),
            TxnOp.DeletePrefix(MasterKeys.TaskCliArgsOfTask(name)),
            // Its shard DDL locks go with the task: nothing waits on them any more.
            TxnOp.DeletePrefix(ShardDdl.ShardDdlLocks.TaskLocksPrefix(name)),
            TxnOp.DeletePrefix(ShardDdl.OptimisticLocks.TaskLocksPrefix(name)),
        };
        ops.AddRange(stored.SourceNames.Select(s => TxnOp.Delete(MasterKeys.SubtaskStage(s, name))));
        var deleted = await store.TxnAsync([], ops, ct: ct);
        if (keepMeta) return;
        // The task is gone now: the client leaving must not cut short the drop of its meta, or a task created again
        // under the name would resume from the old checkpoint. Both steps are bounded without the request's token.
        await WaitForWorkersAsync(stored, stored.SourceNames, deleted.Revision, statuses.MayStillRun, "gone");
        await DownstreamMeta.DropAsync(TargetEndpoint(stored.Task), stored.Task.MetaSchema ?? ApiTaskDefaults.MetaSchema, name, logger,
            CancellationToken.None);
    }

    /// <summary>How long a deletion waits for the workers to stop the task's subtasks before it drops the meta tables.</summary>
    private static readonly TimeSpan StopWaitLimit = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Waits until each bound worker of <paramref name="sources"/> has applied the desired state at <paramref name="revision"/> and
    /// reports the subtask <paramref name="what"/> (at most <see cref="StopWaitLimit"/>), as DM stops subtasks before it removes
    /// their meta. Dropped under a running subtask, the checkpoint table would vanish beneath its final flush, and a task
    /// started again before the worker noticed would keep that old subtask, which then restarts from the task's start
    /// position and applies rows twice.
    /// </summary>
    private async Task WaitForWorkersAsync(StoredTask stored, IEnumerable<string> sources, long revision,
        Func<string, string, string, long, bool> mayStillRun, string what)
    {
        var bounds = await _state.BoundsAsync(CancellationToken.None);
        var deadline = DateTimeOffset.UtcNow + StopWaitLimit;
        foreach (var source in sources)
        {
            if (bounds.GetValueOrDefault(source) is not { } worker) continue;
            while (mayStillRun(worker, stored.Name, source, revision))
            {
                if (DateTimeOffset.UtcNow >= deadline)
                {
                    logger.LogWarning("task {Task}: worker {Worker} did not report its subtask on {Source} {What} within {Limit} s; dropping the meta tables anyway",
                        stored.Name, worker, source, what, StopWaitLimit.TotalSeconds);
                    return;
                }
                await Task.Delay(50);
            }
        }
    }

    public async Task<GetTaskStatusResponse> StatusAsync(string name, IReadOnlyList<string>? sourceNames, CancellationToken ct)
    {
        var stored = await RequireAsync(name, ct);
        var data = await StatusListAsync(stored, sourceNames, await _state.StagesAsync(ct), ct);
        return new GetTaskStatusResponse { Total = data.Count, Data = data };
    }

    public async Task StartAsync(string name, StartTaskRequest request, CancellationToken ct)
    {
        using var entered = await gate.EnterAsync(ct);
        var stored = await RequireAsync(name, ct);
        var targets = SelectSources(stored, request.SourceNameList);
        TimeSpan? safeMode = null;
        if (request.SafeModeTimeDuration is { Length: > 0 } d)
            safeMode = Dm.Core.Config.GoDuration.TryParse(d, out var parsed) && parsed >= TimeSpan.Zero
                ? parsed
                : throw TaskRules.Invalid($"safe_mode_time_duration \"{d}\" is not a duration such as 10s or 1m30s");
        if (request.StartTime is { Length: > 0 } st && !StartTimeText.IsValid(st))
            throw TaskRules.Invalid($"start_time \"{st}\" must look like 2006-01-02 15:04:05, 2006-01-02T15:04:05 or with a UTC offset");

        foreach (var source in targets)
        {
            var conf = stored.Task.SourceConfig.SourceConf.First(s => s.SourceName == source);
            if (stored.Task.TaskMode == TaskMode.Incremental && string.IsNullOrEmpty(request.StartTime)
                && string.IsNullOrEmpty(conf.BinlogName) && string.IsNullOrEmpty(conf.BinlogGtid))
                throw DmErrors.ErrConfigMetadataNotSet.New(source, "incremental");
            var src = await sources.RequireAsync(source, ct);
            if (!src.Source.Enable)
                throw DmErrors.ErrMasterStartTask.New(name, $"source {source} is disabled");
        }
        var stages = (await _state.StagesAsync(ct)).Where(s => s.Task == name).ToDictionary(s => s.Source, StringComparer.Ordinal);
        long? metaGeneration = null;
        if (request.RemoveMeta == true)
        {
            metaGeneration = DateTime.UtcNow.Ticks;
            await RemoveMetaAsync(stored, stages.Values.ToList(), metaGeneration.Value, ct);
        }

        var ops = new List<TxnOp>();
        foreach (var source in targets)
        {
            ops.Add(TxnOp.Put(MasterKeys.TaskCliArgs(name, source), MasterState.Encode(
                new TaskCliArgs(request.StartTime, safeMode.HasValue ? request.SafeModeTimeDuration : null, null))));
            var stage = stages.GetValueOrDefault(source) ?? new SubtaskStage(source, name, TaskStage.Stopped);
            ops.Add(MasterState.Put(stage with
            {
                Expect = TaskStage.Running, Generation = DateTime.UtcNow.Ticks, MetaGeneration = metaGeneration ?? stage.MetaGeneration,
            }));
        }
        await store.TxnAsync([Compare.Exists(MasterKeys.Task(name))], ops, ct: ct);
    }

    /// <summary>
    /// start's <c>remove_meta</c>, as DELETE does it: the task's running subtasks (every source's: the meta is the whole task's)
    /// stop first and the drop waits for their workers to report them stopped; then the meta tables go, and every subtask of
    /// the task is built anew by its worker (a new meta generation; the others keep their expected stage).
    /// </summary>
    private async Task RemoveMetaAsync(StoredTask stored, IReadOnlyList<SubtaskStage> stages, long metaGeneration, CancellationToken ct)
    {
        var running = stages.Where(s => s.Expect == TaskStage.Running).ToList();
        if (running.Count > 0)
        {
            var stopped = await store.TxnAsync([Compare.Exists(MasterKeys.Task(stored.Name))],
                running.Select(s => MasterState.Put(s with { Expect = TaskStage.Stopped })).ToList(), ct: ct);
            await WaitForWorkersAsync(stored, running.Select(s => s.Source), stopped.Revision, statuses.MayStillBeRunning, "stopped");
        }
        await DownstreamMeta.DropAsync(TargetEndpoint(stored.Task), stored.Task.MetaSchema ?? ApiTaskDefaults.MetaSchema, stored.Name, logger, ct);
        await store.TxnAsync([Compare.Exists(MasterKeys.Task(stored.Name))],
            stages.Select(s => MasterState.Put(s with { MetaGeneration = metaGeneration })).ToList(), ct: ct);
    }

    public async Task StopAsync(string name, StopTaskRequest request, CancellationToken ct)
    {
        using var entered = await gate.EnterAsync(ct);
        var stored = await RequireAsync(name, ct);
        var targets = SelectSources(stored, request.SourceNameList);
        var stages = (await _state.StagesAsync(ct)).Where(s => s.Task == name).ToDictionary(s => s.Source, StringComparer.Ordinal);
        if (request.TimeoutDuration is { Length: > 0 } d && !Dm.Core.Config.GoDuration.TryParse(d, out TimeSpan _))
            throw TaskRules.Invalid($"timeout_duration \"{d}\" is not a duration such as 15s");
        var ops = new List<TxnOp>();
        foreach (var source in targets)
        {
            ops.Add(TxnOp.Put(MasterKeys.TaskCliArgs(name, source), MasterState.Encode(new TaskCliArgs(null, null, request.TimeoutDuration))));
            ops.Add(MasterState.Put((stages.GetValueOrDefault(source) ?? new SubtaskStage(source, name, TaskStage.Stopped)) with { Expect = TaskStage.Stopped }));
        }
        await store.TxnAsync([Compare.Exists(MasterKeys.Task(name))], ops, ct: ct);
    }

    public async Task<StoredTask> RequireAsync(string name, CancellationToken ct) =>
        await _state.TaskAsync(name, ct) ?? throw DmErrors.ErrSchedulerTaskNotExist.New(name);

    /// <summary>
    /// Validates the task as DM's task config (sources must exist), then runs DM's pre-check against its
    /// upstreams and target; returns the check_result text, or throws 26005 with the failures.
    /// </summary>
    public async Task<string> CheckAsync(DmTask task, CancellationToken ct)
    {
        await compiler.ToRunnableTaskConfigAsync(task, ct);
        var sources = await compiler.SourceConfigsAsync(task, ct);
        var subTasks = TaskConverter.ToSubTasks(compiler.Reveal(task), sources);
        return await TaskPrecheck.CheckAsync(compiler.PrecheckRequest(task, subTasks, sources, CheckedTarget(task)), ct);
    }

    /// <summary>How to reach the task's target database (password revealed).</summary>
    /// <summary>
    /// The target as the pre-check reaches it: <see cref="TargetEndpoint"/> with the session variables of the task's
    /// <c>task_config_file</c> (<c>target-database.session</c>), so that one the target refuses fails the check, not the subtask.
    /// </summary>
    public DatabaseEndpoint CheckedTarget(DmTask task) =>
        TargetEndpoint(task) with { SessionVariables = DmTaskFile.TargetSession(task) };

    /// <summary>The target without the config's session variables (dropping meta tables needs none, and must not fail on them).</summary>
    public DatabaseEndpoint TargetEndpoint(DmTask task)
    {
        var t = task.TargetConfig;
        return ApiEndpoint.Of(t.Host, t.Port, t.User, secrets.Reveal(t.Password), secrets.RevealKey(t.Security));
    }

    /// <summary>The task as it is stored: no status, its secrets protected (see <see cref="TaskCompiler.Protect"/>).</summary>
    public DmTask Protect(DmTask task) => compiler.Protect(task) with
    {
        StatusList = null,
        // The file's password is the target_config's: it is kept there only, encrypted when a secret key is set.
        TaskConfigFile = task.TaskConfigFile is { Length: > 0 } file ? DmTaskFile.HidePassword(file) : null,
    };

    public static DmTask Present(DmTask task) => PasswordMask.Hide(task);

    private async Task<List<SubTaskStatus>> StatusListAsync(StoredTask stored, IReadOnlyList<string>? only,
        IReadOnlyList<SubtaskStage> stages, CancellationToken ct)
    {
        var bounds = await _state.BoundsAsync(ct);
        var alive = (await store.GetPrefixAsync(MasterKeys.WorkerKeepAlivePrefix, ct)).Kvs
            .Select(kv => MasterKeys.LastName(kv.Key)).ToHashSet(StringComparer.Ordinal);
        var list = new List<SubTaskStatus>();
        foreach (var source in stored.SourceNames)
        {
            if (only != null && !only.Contains(source)) continue;
            var worker = bounds.GetValueOrDefault(source);
            if (worker == null || !alive.Contains(worker))
            {
                // No live worker runs it: say so, as DM's query-status does when it cannot reach a source's worker.
                list.Add(new SubTaskStatus
                {
                    Name = stored.Name,
                    SourceName = source,
                    WorkerName = worker ?? "",
                    Stage = TaskStage.Stopped,
                    Unit = "InvalidUnit",
                    ErrorMsg = DmErrors.ErrMasterWorkerCliNotFound.New(source).ToErrorMessage(),
                });
                continue;
            }
            // What the bound worker last reported; a subtask it has not reported yet is Stopped whatever stage is expected.
            list.Add(statuses.Find(worker, stored.Name, source) ?? new SubTaskStatus
            {
                Name = stored.Name,
                SourceName = source,
                WorkerName = worker,
                Stage = TaskStage.Stopped,
                Unit = "InvalidUnit",
            });
        }
        return list;
    }

    private static List<string> SelectSources(StoredTask stored, IReadOnlyList<string>? requested)
    {
        if (requested is not { Count: > 0 }) return stored.SourceNames.ToList();
        foreach (var s in requested)
            if (!stored.SourceNames.Contains(s)) throw DmErrors.ErrSchedulerSourceCfgNotExist.New(s);
        return requested.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>DM refuses to change these once a task exists: its workers have acted on them.</summary>
    /// <summary>
    /// An update that brings the stored task.yaml back unchanged with other OpenAPI fields: those fields would be ignored
    /// (the file decides what runs), so it is refused rather than accepted and ignored.
    /// </summary>
    private static bool FieldsChangedUnderSameFile(DmTask old, DmTask updated)
    {
        if (updated.TaskConfigFile is not { Length: > 0 } file || DmTaskFile.HidePassword(file) != old.TaskConfigFile) return false;
        static string Fields(DmTask t) => ApiJson.Serialize(Present(t) with { TaskConfigFile = null, StatusList = null });
        return Fields(old) != Fields(updated);
    }

    private static string? ImmutableFieldChanged(DmTask old, DmTask updated)
    {
        if ((old.Timezone ?? "") != (updated.Timezone ?? "")) return "timezone";
        if ((old.SourceConfig.IncrMigrateConf?.SafeMode ?? false) != (updated.SourceConfig.IncrMigrateConf?.SafeMode ?? false))
            return "incr_migrate_conf.safe_mode";
        if (old.TargetConfig.Session?.ForeignKeyChecks != updated.TargetConfig.Session?.ForeignKeyChecks)
            return "target_config.session.foreign_key_checks";
        return null;
    }
}
