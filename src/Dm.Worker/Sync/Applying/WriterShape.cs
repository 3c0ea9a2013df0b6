namespace Dm.Worker.Sync.Applying;

/// <summary>
/// How Sync's writers shape what they send, from the task's <c>syncers</c> settings: <c>batch</c> statements per target
/// transaction, up to <c>queue-size</c> transactions waiting for each writer, and <c>multiple-rows</c> (several rows per
/// INSERT/DELETE, else one row per statement as DM does without it).
/// </summary>
internal sealed record WriterShape(int BatchStatements, int QueueSize, int RowsPerStatement)
{
    /// <summary>Rows in one multi-row statement.</summary>
    public const int MultipleRows = 256;

    public static WriterShape Of(Dm.Core.Config.SyncerConfig syncer) =>
        new(Math.Max(1, syncer.Batch), Math.Max(1, syncer.QueueSize), syncer.MultipleRows ? MultipleRows : 1);
}
