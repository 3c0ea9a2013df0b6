using Dm.Core.Api;
using Dm.Worker.Sync;

namespace Dm.Worker.Subtasks;

/// <summary>
/// A subtask as the supervisor holds it: told the stage the master expects, asked for its status, stopped when no
/// longer assigned. Either a <see cref="SubtaskRunner"/> or an <see cref="UnbuildableSubtask"/> that shows why its
/// desired state could not be applied.
/// </summary>
public interface ISubtask : IAsyncDisposable
{
    string TaskName { get; }

    /// <summary>The subtask's Sync unit for the master's live queries (null when it has none).</summary>
    ISyncControl? SyncControl { get; }

    /// <summary>Converges on the stage the master expects.</summary>
    /// <param name="generation">The master's start generation (see <see cref="SubtaskRunner.Expect"/>).</param>
    void Expect(TaskStage expected, long generation);

    SubTaskStatus Status();
}
