using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Load;

/// <summary>
/// Errors after which the chunk's transaction was rolled back by the server and simply running the chunk again
/// succeeds: deadlock (1213) and lock wait timeout (1205) — e.g. against the rollback of a crashed writer — and
/// a <see cref="ChunkConflictException"/> (retried with the configured on-duplicate verb).
/// </summary>
internal static class RetryableChunkError
{
    public const int MaxAttempts = 10;

    public static bool Is(Exception e) => e is ChunkConflictException ||
        ((e as MySqlException ?? e.InnerException as MySqlException) is { Number: 1213 or 1205 }
         && e is MySqlException or DataStatementException);

    public static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Math.Min(2000, 50 << Math.Min(attempt, 6)));
}
