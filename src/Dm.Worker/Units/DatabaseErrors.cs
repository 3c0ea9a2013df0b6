using Dm.Core.Errors;
using Dm.Core.Upstream;
using MySqlConnector;

namespace Dm.Worker.Units;

/// <summary>
/// Maps a failure to DM's error and whether auto-resume may retry it: lost connections (<see cref="LostConnection"/>,
/// DM's ErrDBBadConn) and lock timeouts are resumable; privileges, syntax and data errors are not (retrying cannot fix them).
/// </summary>
internal static class DatabaseErrors
{
    private static readonly HashSet<int> NotResumable =
    [
        1044, 1045, 1142, 1143, 1227, 1370, // access denied / missing privileges
        1064, 1054, 1146, 1049, 1062, 1366, 1406, 1264, 1292, 1048, 1136, 1050, 3140, 4025,
    ];

    public static (DmException Error, bool Resumable) Classify(Exception e, DmError runtimeError) => e switch
    {
        DmException dm => (dm, false),
        DataStatementException s when LostConnection.Is(s) => (DmErrors.ErrDBBadConn.Wrap(s.InnerException!), true),
        DataStatementException s => Classify(s),
        // An unreachable server may come back; wrong credentials will not.
        UpstreamException u => (DmErrors.ErrDBDriverError.Wrap(u), u.ConnectFailed && u.InnerException is not MySqlException { Number: 1045 or 1044 }),
        _ when LostConnection.Is(e) => (DmErrors.ErrDBBadConn.Wrap(e), true),
        MySqlException m => (DmErrors.ErrDBDriverError.Wrap(m), !NotResumable.Contains(m.Number)),
        IOException or UnauthorizedAccessException => (runtimeError.Wrap(e, e.Message), false),
        _ => (runtimeError.Wrap(e, e.Message), false),
    };

    private static (DmException, bool) Classify(DataStatementException s)
    {
        var mysql = s.InnerException as MySqlException;
        var error = DmErrors.ErrDBExecuteFailed.Wrap(s.InnerException!, s.StatementPreview);
        return (error, mysql is not null && !NotResumable.Contains(mysql.Number));
    }
}

/// <summary>A statement failed; carries a short preview of the SQL for the error message.</summary>
internal sealed class DataStatementException(string sql, Exception cause) : Exception(cause.Message, cause)
{
    public string StatementPreview { get; } = sql.Length > 200 ? sql[..200] + "..." : sql;
}
