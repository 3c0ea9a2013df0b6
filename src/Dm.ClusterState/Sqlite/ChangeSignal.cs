namespace Dm.ClusterState.Sqlite;

/// <summary>
/// Wakes the watchers after each commit that changed something. A watcher takes <see cref="Current"/>
/// before reading history, so a commit landing between its read and its wait is never missed.
/// </summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _next = NewSource();

    public Task Current => Volatile.Read(ref _next).Task;

    public void Notify() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
