using Dm.Core.Api;

namespace Dm.Worker.Control;

/// <summary>What the heartbeat reports of the subtasks this worker runs; the supervisor that runs them provides it.</summary>
public interface ISubtaskReporter
{
    /// <summary>
    /// The revision of the newest desired state fully applied (runners started and stopped to match). Read before
    /// <see cref="Statuses"/>, whose list is then at least as new.
    /// </summary>
    long AppliedRevision { get; }

    /// <summary>The status of every subtask this worker runs.</summary>
    IReadOnlyList<SubTaskStatus> Statuses();
}
