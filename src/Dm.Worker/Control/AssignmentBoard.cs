using Dm.Contracts;

namespace Dm.Worker.Control;

/// <summary>
/// The desired state this worker last received: which source it is bound to and which subtasks it should
/// run in which stage. The supervisor that runs subtasks converges on it; /status shows it.
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
}
