using Dm.Contracts;
using Dm.Worker.Control;

namespace Dm.Worker.Tests.Control;

/// <summary>
/// The desired state a worker holds when its keepalive lapses: its subtasks stop (bound to nothing) but a relay log it
/// pulls goes on, and a renewal in the same session brings the whole state back.
/// </summary>
public sealed class AssignmentBoardTests
{
    [Fact]
    public void ASuspendedWorkerStopsItsSubtasksButKeepsPullingItsRelayLog()
    {
        var board = new AssignmentBoard();
        var state = new DesiredState
        {
            Revision = 7, BoundSource = "s1", BoundEpoch = 5,
            Relay = new RelayAssignment { Source = "s1", ExpectedStage = Stage.Running, Generation = 2 },
        };
        state.Subtasks.Add(new SubtaskAssignment { Task = "t1", ExpectedStage = Stage.Running });
        board.Apply(state);

        board.Suspend(session: 3);
        Assert.Equal("", board.Current.BoundSource);
        Assert.Empty(board.Current.Subtasks);
        Assert.Equal(7, board.Current.Revision);
        Assert.Equal(state.Relay, board.Current.Relay);

        board.Resume(session: 4); // a later session proves nothing of the old binding
        Assert.Equal("", board.Current.BoundSource);
        board.Resume(session: 3);
        Assert.Equal(state, board.Current);
    }
}
