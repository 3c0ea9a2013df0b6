using Dm.Core.Errors;

namespace Dm.Core.Config;

/// <summary>
/// Bounds on a subtask's numbers (#20 item 6), checked when a task is created, updated or checked (every subtask config is
/// adjusted then): 0 means DM's default (as DM's adjust does for <c>pool-size</c> and <c>queue-size</c>), and a value
/// below 1 or above its maximum is refused with DM's 26005 naming the key, its range and DM's default. The maxima are
/// DM#'s: they are far above what helps (DM's published sweeps flatten by 32 threads and show no gain at 1024
/// workers) and keep one task from asking a worker for unbounded threads, connections or queued memory.
/// </summary>
public static class UnitBounds
{
    public const int MaxThreads = 1024;
    public const int MaxBatch = 100_000;
    public const int MaxQueueSize = 1 << 20;
    public const int MaxCheckpointFlushInterval = 24 * 3600;

    public static void Adjust(SubTaskConfig st)
    {
        st.Mydumper.Threads = Bounded("mydumper threads (export_threads)", st.Mydumper.Threads, 4, MaxThreads);
        st.Loader.PoolSize = Bounded("loader pool-size (import_threads)", st.Loader.PoolSize, 16, MaxThreads);
        st.Syncer.WorkerCount = Bounded("syncer worker-count (repl_threads)", st.Syncer.WorkerCount, 16, MaxThreads);
        st.Syncer.Batch = Bounded("syncer batch (repl_batch)", st.Syncer.Batch, 100, MaxBatch);
        st.Syncer.QueueSize = Bounded("syncer queue-size", st.Syncer.QueueSize, 1024, MaxQueueSize);
        st.Syncer.CheckpointFlushInterval = Bounded("syncer checkpoint-flush-interval", st.Syncer.CheckpointFlushInterval, 30, MaxCheckpointFlushInterval);
    }

    private static int Bounded(string key, int value, int dmDefault, int max)
    {
        if (value == 0) return dmDefault;
        if (value < 1 || value > max)
            throw DmErrors.ErrTaskCheckSyncConfigError.New("invalid task config",
                $"{key} is {value}, not within 1..{max}", $"DM's default is {dmDefault}; 0 means the default");
        return value;
    }
}
