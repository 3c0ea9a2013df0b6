using Dm.Worker.Errors;

namespace Dm.Worker.Load;

/// <summary>
/// Errors after which the chunk's transaction was rolled back by the server and simply running the chunk again
/// succeeds: a lock conflict (<see cref="DatabaseErrorPolicy.IsLockConflict"/>: deadlock, lock wait timeout — e.g. against
/// the rollback of a crashed writer) and a <see cref="ChunkConflictException"/> (retried with the configured on-duplicate verb).
/// </summary>
internal static class RetryableChunkError
{
    public const int MaxAttempts = 10;

    public static bool Is(Exception e) => e is ChunkConflictException || DatabaseErrorPolicy.IsLockConflict(e);

    public static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Math.Min(2000, 50 << Math.Min(attempt, 6)));
}
