using Dm.ClusterState;
using Dm.Core.Api;
using Dm.Core.Errors;
using Dm.Master.State;

namespace Dm.Master.Tasks;

/// <summary>Task templates: task JSON saved for reuse (the Web UI and <c>dmctl config</c> use them), and import of existing tasks.</summary>
public sealed class TemplateService(IClusterStore store, MasterGate gate, TaskService tasks)
{
    private readonly MasterState _state = new(store);

    public async Task<DmTask> CreateAsync(DmTask task, CancellationToken ct)
    {
        task = TaskRules.Adjust(task);
        using var entered = await gate.EnterAsync(ct);
        await tasks.CheckAsync(task, ct);
        var result = await store.TxnAsync([Compare.NotExists(MasterKeys.Template(task.Name))],
            [TxnOp.Put(MasterKeys.Template(task.Name), MasterState.Encode(tasks.Protect(task) with { TaskConfigFile = task.TaskConfigFile }))], ct: ct);
        if (!result.Succeeded) throw DmErrors.ErrOpenAPITaskConfigExist.New(task.Name);
        return TaskService.Present(task);
    }

    public async Task<GetTaskListResponse> ListAsync(CancellationToken ct)
    {
        var data = (await store.GetPrefixAsync(MasterKeys.TemplatePrefix, ct)).Kvs
            .Select(kv => TaskService.Present(MasterState.Decode<DmTask>(kv)))
            .OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        return new GetTaskListResponse { Total = data.Count, Data = data };
    }

    public async Task<DmTask> GetAsync(string name, CancellationToken ct)
    {
        var kv = (await store.GetAsync(MasterKeys.Template(name), ct)).Kv ?? throw DmErrors.ErrOpenAPITaskConfigNotExist.New(name);
        return TaskService.Present(MasterState.Decode<DmTask>(kv));
    }

    public async Task<DmTask> UpdateAsync(string name, DmTask task, CancellationToken ct)
    {
        task = TaskRules.Adjust(task);
        if (task.Name != name) throw TaskRules.Invalid($"task name \"{task.Name}\" in the body differs from \"{name}\" in the path");
        using var entered = await gate.EnterAsync(ct);
        var old = (await store.GetAsync(MasterKeys.Template(name), ct)).Kv ?? throw DmErrors.ErrOpenAPITaskConfigNotExist.New(name);
        // An unchanged hidden password (or TLS key) keeps the stored one, so a GET-edit-PUT round trip loses nothing.
        var stored = MasterState.Decode<DmTask>(old);
        if (task.TargetConfig.Password == PasswordMask.Obfuscated)
            task = task with { TargetConfig = task.TargetConfig with { Password = stored.TargetConfig.Password } };
        if (task.TargetConfig.Security is { SslKeyContent: PasswordMask.Obfuscated } hidden && stored.TargetConfig.Security is { } kept)
            task = task with { TargetConfig = task.TargetConfig with { Security = hidden with { SslKeyContent = kept.SslKeyContent } } };
        await tasks.CheckAsync(task, ct);
        await store.TxnAsync([Compare.Exists(MasterKeys.Template(name))],
            [TxnOp.Put(MasterKeys.Template(name), MasterState.Encode(tasks.Protect(task) with { TaskConfigFile = task.TaskConfigFile }))], ct: ct);
        return TaskService.Present(task);
    }

    public async Task DeleteAsync(string name, CancellationToken ct)
    {
        using var entered = await gate.EnterAsync(ct);
        var result = await store.TxnAsync([Compare.Exists(MasterKeys.Template(name))], [TxnOp.Delete(MasterKeys.Template(name))], ct: ct);
        if (!result.Succeeded) throw DmErrors.ErrOpenAPITaskConfigNotExist.New(name);
    }

    /// <summary>Saves every existing task as a template; with overwrite, replaces templates of the same name.</summary>
    public async Task<TaskTemplateResponse> ImportAsync(TaskTemplateRequest request, CancellationToken ct)
    {
        using var entered = await gate.EnterAsync(ct);
        var success = new List<string>();
        var failed = new List<TaskTemplateFailure>();
        foreach (var stored in await _state.TasksAsync(ct))
        {
            var key = MasterKeys.Template(stored.Name);
            var compares = request.Overwrite ? new List<Compare>() : [Compare.NotExists(key)];
            var result = await store.TxnAsync(compares, [TxnOp.Put(key, MasterState.Encode(stored.Task))], ct: ct);
            if (result.Succeeded) success.Add(stored.Name);
            else failed.Add(new TaskTemplateFailure { TaskName = stored.Name, ErrorMsg = DmErrors.ErrOpenAPITaskConfigExist.New(stored.Name).Message });
        }
        return new TaskTemplateResponse { SuccessTaskList = success, FailedTaskList = failed };
    }
}
