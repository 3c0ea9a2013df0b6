using Dm.Core.Api;
using Dm.Contracts;
using Dm.Core.Errors;
using Dm.Worker.Sync;

namespace Dm.Worker.Query;

/// <summary>
/// Finds the Sync unit a master's query is about, with DM's answers when there is none: no source bound
/// (40070), no such subtask on this worker (40054), or a subtask whose current unit is not Sync (40056).
/// </summary>
public sealed class SyncControlLocator(Func<string> boundSource, Func<IReadOnlyList<SubTaskStatus>> statuses, Func<string, ISyncControl?> find)
{
    public ISyncControl Require(SubtaskRef subtask)
    {
        var bound = boundSource();
        if (bound == "") throw DmErrors.ErrWorkerNoStart.New();
        if (subtask.Source != bound)
            throw DmErrors.ErrWorkerSubTaskNotFound.WithMessage(
                $"sub task with name {subtask.Task} not found: this worker handles source {bound}, not {subtask.Source}");
        var status = statuses().FirstOrDefault(s => s.Name == subtask.Task)
            ?? throw DmErrors.ErrWorkerSubTaskNotFound.New(subtask.Task);
        // DM acts only on a subtask whose current unit is the syncer; a full task never gets there.
        if (status.Unit != "Sync") throw DmErrors.ErrWorkerOperSyncUnitOnly.New(status.Unit);
        return find(subtask.Task) ?? throw DmErrors.ErrWorkerOperSyncUnitOnly.New(status.Unit);
    }
}
