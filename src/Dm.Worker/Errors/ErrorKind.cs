namespace Dm.Worker.Errors;

/// <summary>
/// What a failure means for the worker, as <see cref="DatabaseErrorPolicy"/> decides it: whether to run the statement
/// again in place, take it as done, wait for the user, or stop the unit and let auto-resume try it again later.
/// </summary>
public enum ErrorKind
{
    /// <summary>
    /// Retrying can succeed: a deadlock or lock wait timeout (on the same connection), a lost connection, a server that is
    /// gone, shutting down, out of connections or read-only during a failover (on a new connection).
    /// </summary>
    Transient,

    /// <summary>A DDL replayed after a crash that the target already has: the object exists, or is already gone.</summary>
    AlreadyApplied,

    /// <summary>
    /// Retrying meets the same error until the user acts: privileges and credentials, syntax, data the target refuses,
    /// an unknown table or database, a binlog the upstream purged, a statement or config DM# refuses. Auto-resume leaves it.
    /// </summary>
    NeedsUser,

    /// <summary>
    /// Not understood: a bug or corrupt input. Never retried in place; auto-resume tries the unit again with its
    /// backoff, as DM resumes every error it does not know to need the user.
    /// </summary>
    Fatal,
}
