using System.Collections.Frozen;
using System.Net.Sockets;
using Dm.Binlog.Protocol;
using Dm.Core.Errors;
using Dm.Core.Upstream;
using Dm.Worker.Units;
using MySqlConnector;
using static MySqlConnector.MySqlErrorCode;

namespace Dm.Worker.Errors;

/// <summary>
/// The worker's one error policy. For any exception that reaches a unit or the syncer it says which
/// <see cref="ErrorKind"/> it is, answers the narrower questions callers ask (a lock conflict the same connection may
/// retry, a lost connection, a duplicate key, a missing table...), and gives DM's error for a failed unit. Server errors
/// are read as <see cref="MySqlErrorCode"/> from MySqlConnector's <see cref="MySqlException"/> and from the binlog
/// client's <see cref="ServerErrorException"/> alike; no other code of the worker compares error numbers.
/// </summary>
internal static class DatabaseErrorPolicy
{
    /// <summary>MariaDB's ER_CONNECTION_KILLED ("Connection was killed"): KILL CONNECTION ended the session.</summary>
    private const MySqlErrorCode ConnectionKilled = (MySqlErrorCode)1927;

    /// <summary>MariaDB's ER_CONSTRAINT_FAILED: a row breaks a CHECK constraint of the target.</summary>
    private const MySqlErrorCode CheckConstraintFailed = (MySqlErrorCode)4025;

    /// <summary>ER_DUP_CONSTRAINT_NAME (MariaDB; MySQL's ER_FK_DUP_NAME): a foreign key or constraint of that name exists.</summary>
    private const MySqlErrorCode DuplicateConstraintName = (MySqlErrorCode)1826;

    /// <summary>MySQL's ER_READ_ONLY_MODE: the server runs with super_read_only, as a demoted primary does during a failover.</summary>
    private const MySqlErrorCode ReadOnlyMode = (MySqlErrorCode)1836;

    /// <summary>TiDB's "entry too large" (a row over txn-entry-size-limit); DM does not auto-resume it.</summary>
    private const MySqlErrorCode TiDbEntryTooLarge = (MySqlErrorCode)8025;

    /// <summary>The transaction (deadlock) or the statement (lock wait timeout) was rolled back: the same connection may run it again.</summary>
    private static readonly FrozenSet<MySqlErrorCode> LockConflicts = [LockDeadlock, LockWaitTimeout, XARBDeadlock];

    /// <summary>The session is gone (closed by the server, a shutdown, the network) or could not be opened: a new connection may work.</summary>
    private static readonly FrozenSet<MySqlErrorCode> ConnectionGone =
    [
        ServerShutdown, NormalShutdown, ShutdownComplete, AbortingConnection, NewAbortingConnection, ConnectionKilled,
        NetReadErrorFromPipe, NetFCntlError, NetPacketsOutOfOrder, NetUncompressError, NetReadError, NetReadInterrupted,
        NetErrorOnWrite, NetWriteInterrupted, UnableToConnectToHost, CommandTimeoutExpired,
    ];

    /// <summary>The server cannot serve the statement now: out of connections, read-only while a failover goes on, a query killed.</summary>
    private static readonly FrozenSet<MySqlErrorCode> ServerUnavailable =
    [
        ConnectionCountError, TooManyUserConnections, UserLimitReached, QueryInterrupted,
        OptionPreventsStatement, CannotExecuteInReadOnlyTransaction, InnodbReadOnly, ReadOnlyMode,
    ];

    /// <summary>Privileges and credentials.</summary>
    private static readonly FrozenSet<MySqlErrorCode> AccessDenials =
    [
        AccessDenied, DatabaseAccessDenied, TableAccessDenied, ColumnAccessDenied, SpecifiedAccessDeniedError,
        PrecedureAccessDenied, HostNotPrivileged, HostIsBlocked,
    ];

    /// <summary>
    /// A DDL that meets these finds its change already made: the database, table, column, index or constraint exists, or
    /// is already gone. Only a DDL replayed after a crash (or merged from shards) may take them as done.
    /// </summary>
    private static readonly FrozenSet<MySqlErrorCode> AlreadyDone =
    [
        DatabaseCreateExists, DatabaseDropExists, TableExists, BadTable, BadFieldError, DuplicateFieldName, DuplicateKeyName,
        MultiplePrimaryKey, CannotDropFieldOrKey, NoSuchTable, DuplicateConstraintName,
    ];

    /// <summary>
    /// The target refuses the statement or its data, or the upstream cannot send the binlog: running it again meets the
    /// same refusal (DM's unresumable DML errors 1062, 1366, 1406, 8025 and DDL errors 1059, 1069, 1117 are here).
    /// </summary>
    private static readonly FrozenSet<MySqlErrorCode> Refusals =
    [
        // the statement
        ParseError, TooLongIdentifier, TooManyKeys, TooManyFields, InvalidDefault, PacketTooLarge,
        // objects it names
        UnknownDatabase, NoSuchTable, UnknownTable, BadFieldError,
        // data
        DuplicateKeyEntry, ColumnCannotBeNull, WrongValueCountOnRow, WarningDataOutOfRange, WarningDataTruncated, TruncatedWrongValue,
        TruncatedWrongValueForField, DataTooLong, InvalidJsonText, CheckConstraintFailed, TiDbEntryTooLarge,
        // the binlog: purged, or a position the upstream does not have
        MasterFatalErrorReadingBinLog,
    ];

    /// <summary>
    /// DM's unresumable error codes (its task checker never resumes them), and DM#'s refusals of a statement that carry
    /// their cause (the cause alone might look transient). A DM error raised with no cause needs the user anyway.
    /// </summary>
    private static readonly FrozenSet<int> NeedsUserCodes = new[]
    {
        DmErrors.ErrSyncerShardDDLConflict, DmErrors.ErrDumpUnitGlobalLock, DmErrors.ErrDumpUnitRuntime,
        DmErrors.ErrSyncerUnitHandleDDLFailed, DmErrors.ErrSyncerUnitDMLColumnNotMatch, DmErrors.ErrSyncerCancelledDDL,
        DmErrors.ErrLoadLightningRuntime, DmErrors.ErrLoadLightningHasDup, DmErrors.ErrLoadLightningChecksum,
        DmErrors.ErrSyncerParseDDL, DmErrors.ErrSyncerUnitBinlogEventFilter, DmErrors.ErrSchemaTrackerCannotExecDDL,
    }.Select(e => e.Code).ToFrozenSet();

    /// <summary>DM errors for a binlog event that does not make sense (corrupt input): fatal, so auto-resume reads it again.</summary>
    private static readonly FrozenSet<int> CorruptInputCodes = new[]
    {
        DmErrors.ErrBinlogExpectTableMapEv, DmErrors.ErrSyncerUnitInvalidReplicaEvent,
    }.Select(e => e.Code).ToFrozenSet();

    /// <summary>The kind of a server error code, outside a DDL.</summary>
    public static ErrorKind Classify(MySqlErrorCode code) =>
        LockConflicts.Contains(code) || ConnectionGone.Contains(code) || ServerUnavailable.Contains(code) ? ErrorKind.Transient
        // Outside a replayed DDL an object that exists or is missing means the target is not what the task expects.
        : AccessDenials.Contains(code) || Refusals.Contains(code) || AlreadyDone.Contains(code) ? ErrorKind.NeedsUser
        : ErrorKind.Fatal;

    /// <summary>The kind of any failure of a unit, the syncer, a statement or a connection (outside a DDL).</summary>
    public static ErrorKind Classify(Exception e) => e switch
    {
        DmException dm => Classify(dm),
        UpstreamException u => Classify(u),
        AggregateException a => Worst(a.InnerExceptions.Select(Classify)),
        _ when IsConnectionLost(e) => ErrorKind.Transient,
        MySqlException { IsTransient: true } => ErrorKind.Transient,
        _ when ServerCode(e) is { } code => Classify(code),
        // Files or directories the worker may not touch (a dump dir): the user must fix the permissions.
        UnauthorizedAccessException => ErrorKind.NeedsUser,
        { InnerException: { } inner } => Classify(inner),
        _ => ErrorKind.Fatal,
    };

    /// <summary>The kind of a failed DDL statement: a change the target already has is <see cref="ErrorKind.AlreadyApplied"/>.</summary>
    public static ErrorKind ClassifyDdl(Exception e) =>
        !IsConnectionLost(e) && ServerCode(e) is { } code && AlreadyDone.Contains(code) ? ErrorKind.AlreadyApplied : Classify(e);

    /// <summary>A deadlock or lock wait timeout of a statement: it was rolled back, and the same connection may run it again.</summary>
    public static bool IsLockConflict(Exception e) => ServerCode(e) is { } code && LockConflicts.Contains(code);

    /// <summary>A statement met an existing primary or unique key.</summary>
    public static bool IsDuplicateEntry(Exception e) => ServerCode(e) is { } code && IsDuplicateEntry(code);

    /// <summary>The code (of an error or a warning) says a row met an existing primary or unique key.</summary>
    public static bool IsDuplicateEntry(MySqlErrorCode code) => code == DuplicateKeyEntry;

    /// <summary>The server refused for want of a privilege (or the credentials).</summary>
    public static bool IsAccessDenied(Exception e) => ServerCode(e) is { } code && AccessDenials.Contains(code);

    /// <summary>The statement named a table or database the server does not have.</summary>
    public static bool IsUnknownTable(Exception e) => ServerCode(e) is NoSuchTable or UnknownDatabase;

    /// <summary>
    /// The connection died under a statement or could not be opened: the server killed it, shut down or restarted, or the
    /// network broke. The driver then throws a socket or end-of-stream error, possibly wrapped, rather than a server error;
    /// IO errors of files do not count.
    /// </summary>
    public static bool IsConnectionLost(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case SocketException:
                    return true;
                case MySqlException or ServerErrorException when ServerCode(current) is { } code && ConnectionGone.Contains(code):
                    return true;
                // "An incomplete response was received from the server" (an EndOfStreamException), a socket the peer closed,
                // a connect that timed out: thrown by the driver, the binlog client or the network stack.
                case IOException or TimeoutException when ThrownByNetworkCode(current):
                    return true;
                case AggregateException aggregate:
                    return aggregate.InnerExceptions.Any(IsConnectionLost);
            }
        }
        return false;
    }

    /// <summary>DM's error for the failure of a unit (Dump, Load, Sync), with its kind; <paramref name="runtimeError"/> wraps what is not a database error.</summary>
    public static (DmException Error, ErrorKind Kind) ForUnit(Exception e, DmError runtimeError)
    {
        var error = e switch
        {
            DmException dm => dm,
            DataStatementException s when IsConnectionLost(s) => DmErrors.ErrDBBadConn.Wrap(s.InnerException!),
            DataStatementException s => DmErrors.ErrDBExecuteFailed.Wrap(s.InnerException!, s.StatementPreview),
            UpstreamException u => DmErrors.ErrDBDriverError.Wrap(u),
            _ when IsConnectionLost(e) => DmErrors.ErrDBBadConn.Wrap(e),
            MySqlException m => DmErrors.ErrDBDriverError.Wrap(m),
            _ => runtimeError.Wrap(e, e.Message),
        };
        return (error, Classify(error));
    }

    /// <summary>DM's error when reading the upstream's binlog failed, with its kind (only a transient one is worth a reconnect).</summary>
    public static (DmException Error, ErrorKind Kind) ForBinlogRead(Exception e)
    {
        var error = e is ServerErrorException s && ServerCode(s) == MasterFatalErrorReadingBinLog
            ? DmErrors.ErrSyncerGetEvent.WithMessage($"the upstream cannot send the binlog from the checkpoint (purged or missing?): {s.ServerMessage}", s)
            : DmErrors.ErrSyncerGetEvent.Wrap(e, e.Message);
        return (error, Classify(error));
    }

    /// <summary>Whether auto-resume runs a unit that failed with an error of this kind again: DM resumes every error but those that need the user.</summary>
    public static bool AutoResumes(ErrorKind kind) => kind != ErrorKind.NeedsUser;

    private static ErrorKind Classify(DmException dm) =>
        NeedsUserCodes.Contains(dm.Code) ? ErrorKind.NeedsUser
        : dm.Code == DmErrors.ErrDBBadConn.Code ? ErrorKind.Transient
        : CorruptInputCodes.Contains(dm.Code) ? ErrorKind.Fatal
        : dm.InnerException is { } cause ? Classify(cause)
        // DM#'s own check refused something (a config, a statement, a row image): the same input meets it again.
        : ErrorKind.NeedsUser;

    /// <summary>
    /// A database that could not be reached may come back; wrong credentials will not. Other failures of this kind are
    /// checks of the upstream (flavor, GTID mode, server id) that the user must fix.
    /// </summary>
    private static ErrorKind Classify(UpstreamException u) =>
        u.InnerException is { } cause && Classify(cause) is var kind && kind != ErrorKind.Fatal ? kind
        : u.ConnectFailed ? ErrorKind.Transient
        : ErrorKind.NeedsUser;

    /// <summary>Of several failures the one that asks most: the user, then a bug, then a retry.</summary>
    private static ErrorKind Worst(IEnumerable<ErrorKind> kinds)
    {
        var all = kinds.ToHashSet();
        return all.Contains(ErrorKind.NeedsUser) ? ErrorKind.NeedsUser
            : all.Contains(ErrorKind.Fatal) || all.Count == 0 ? ErrorKind.Fatal
            : all.Contains(ErrorKind.Transient) ? ErrorKind.Transient
            : ErrorKind.AlreadyApplied;
    }

    /// <summary>The server's error code of a failed statement: the exception itself, or the statement failure wrapping it.</summary>
    private static MySqlErrorCode? ServerCode(Exception e) => e switch
    {
        MySqlException m => m.ErrorCode,
        ServerErrorException s => (MySqlErrorCode)s.ErrorCode,
        DataStatementException { InnerException: { } inner } => ServerCode(inner),
        _ => null,
    };

    private static bool ThrownByNetworkCode(Exception e) =>
        e.TargetSite?.DeclaringType?.Namespace is { } ns &&
        (ns.StartsWith("MySqlConnector", StringComparison.Ordinal) || ns.StartsWith("System.Net", StringComparison.Ordinal)
         || ns.StartsWith("Dm.Binlog.Protocol", StringComparison.Ordinal));
}
