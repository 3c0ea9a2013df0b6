using Dm.Contracts;

namespace Dm.Worker.Control;

/// <summary>
/// The desired state this worker last received: which source it is bound to and which subtasks it should
/// run in which stage. The supervisor that runs subtasks converges on it; /status shows it.
/// </summary>
public sealed class AssignmentBoard
{
    private readonly Lock _gate = new();
    private volatile DesiredState _current = new();
    // The state Suspend took the worker off and the session with the master it was in, until a renewal in that same
    // session (Resume) or a newer state (Apply). A renewal in a later session proves nothing of the old binding.
    private (DesiredState State, long Session)? _suspended;

    public DesiredState Current => _current;

    public event Action<DesiredState>? Changed;

    public void Apply(DesiredState state)
    {
        lock (_gate)
        {
            if (state.Revision < _current.Revision) return;
            _suspended = null;
            _current = state;
        }
        Changed?.Invoke(state);
    }

    /// <summary>
    /// Takes this worker off its source until the master sends its state again: the same revision bound to nothing, so the
    /// supervisor stops every subtask (the worker could not renew its keepalive; the master may be binding the source anew).
    /// A relay log it pulls goes on: it writes only this worker's own relay directory, and the subtasks of a later binding
    /// read it.
    /// </summary>
    /// <param name="session">The worker's session with the master when its keepalive lapsed.</param>
    public void Suspend(long session)
    {
        DesiredState suspended;
        lock (_gate)
        {
            if (_current.BoundSource == "") return;
            _suspended = (_current, session);
            _current = suspended = new DesiredState { Revision = _current.Revision, Relay = _current.Relay };
        }
        Changed?.Invoke(suspended);
    }

    /// <summary>
    /// After a renewed keepalive: the master still holds this worker's lease, so its binding (and the state Suspend took it
    /// off) still stands unless a newer state came meanwhile.
    /// </summary>
    /// <param name="session">The session the keepalive was renewed in: only the one Suspend was in brings the state back.</param>
    public void Resume(long session)
    {
        DesiredState resumed;
        lock (_gate)
        {
            if (_suspended is not { } suspended || suspended.Session != session) return;
            _current = resumed = suspended.State;
            _suspended = null;
        }
        Changed?.Invoke(resumed);
    }
}
