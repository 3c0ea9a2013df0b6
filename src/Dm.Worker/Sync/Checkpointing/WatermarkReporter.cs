using Dm.Worker.Sync.Applying;
using Dm.Worker.Sync.Reading;

namespace Dm.Worker.Sync.Checkpointing;

/// <summary>
/// Shows the commit watermark in the unit's status (<see cref="SyncProgress"/>): the synced position and its upstream time,
/// and whether the run has caught up — every transaction handed over is committed, none is being read or streamed.
/// Called by the writers after each commit, by checkpoint writes and on the upstream's heartbeats.
/// </summary>
internal sealed class WatermarkReporter(CommitWatermark watermark, SyncProgress progress, TransactionAssembler reading, LargeTransactionApplier large)
{
    public void Report() =>
        progress.Synced(watermark.Position, watermark.Timestamp, watermark.AllCommitted && reading.Current is null && !large.Active);
}
