using Dm.Binlog.Replication;
using Dm.Core.Errors;
using Dm.Worker.Sync.Applying;

namespace Dm.Worker.Sync;

/// <summary>
/// The event a run stopped on with an error (a filter refused it, the target refused its DDL...), kept for
/// <c>binlog skip|replace</c> (<see cref="ISyncControl.HandleError"/>) without naming its position.
/// </summary>
internal sealed class BlockedEvent
{
    /// <summary>The blocked event's position; null while the run is not stopped on one.</summary>
    public BinlogPosition? At { get; private set; }

    /// <summary>
    /// Stops on the event at <paramref name="at"/>: every change before it is committed first (the target then shows
    /// exactly what came before the blocked event); returns <paramref name="error"/> for the caller to throw.
    /// </summary>
    public async Task<DmException> BlockAsync(BinlogPosition at, DmException error, WriterPool writers, CancellationToken cancellationToken)
    {
        At = at;
        await writers.DrainAsync(cancellationToken);
        return error;
    }

    /// <summary>Stops on the event at <paramref name="at"/> when every change before it is already committed.</summary>
    public void Block(BinlogPosition at) => At = at;
}
