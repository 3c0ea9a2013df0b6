using Dm.Core.Contracts;

namespace Dm.Worker.Control;

/// <summary>
/// The desired state this worker last received: which source it is bound to and which subtasks it should
/// run in which stage. The units that run subtasks converge on it; /status shows it.
/// </summary>
public sealed class AssignmentBoard
{
    private volatile DesiredState _current = new();

    public DesiredState Current => _current;

    public event Action<DesiredState>? Changed;

    public void Apply(DesiredState state)
    {
        if (state.Revision < _current.Revision) return;
        _current = state;
        Changed?.Invoke(state);
    }

    /// <summary>Where the status of the subtasks comes from (the supervisor that runs them).</summary>
    public Func<IEnumerable<Dm.Core.Api.SubTaskStatus>>? StatusSource { get; set; }

    /// <summary>The revision of the newest desired state the supervisor has fully applied.</summary>
    public Func<long>? AppliedRevisionSource { get; set; }

    /// <summary>The status of each subtask as OpenAPI SubTaskStatus JSON, for the heartbeat.</summary>
    public IEnumerable<string> StatusJson() =>
        (StatusSource?.Invoke() ?? []).Select(s => Dm.Core.Api.ApiJson.Serialize(s)).ToList();
}
