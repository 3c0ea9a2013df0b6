namespace Dm.ClusterState.Sqlite;

/// <summary>A write waiting for the writer loop: what to apply, and where its caller waits for the outcome.</summary>
internal sealed class WriteRequest(Func<SqliteKvWriter, object?> apply, CancellationToken ct)
{
    public TaskCompletionSource<object?> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationToken CancellationToken { get; } = ct;

    public object? Apply(SqliteKvWriter writer) => apply(writer);
}
