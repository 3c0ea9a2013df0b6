using Dm.Core.Api;
using Dm.Core.Errors;
using Dm.Worker.Sync;

namespace Dm.Worker.Subtasks;

/// <summary>
/// A subtask whose desired state this worker could not turn into a runner (a config the master could not resolve, or
/// one this worker cannot use, a rule it cannot build). It runs nothing and shows <c>Paused</c> with the error, DM's
/// error text with its code, in every status, until the master sends a different desired state for the task, which
/// the supervisor then tries again.
/// </summary>
public sealed class UnbuildableSubtask(string task, string source, string worker, string error) : ISubtask
{
    public string TaskName => task;

    public ISyncControl? SyncControl => null;

    /// <summary>DM's error text (<see cref="DmException.ToErrorMessage"/>).</summary>
    public string Error => error;

    public void Expect(TaskStage expected, long generation)
    {
    }

    public SubTaskStatus Status() => new()
    {
        Name = task,
        SourceName = source,
        WorkerName = worker,
        Stage = TaskStage.Paused,
        Unit = "InvalidUnit",
        ErrorMsg = error,
    };

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
