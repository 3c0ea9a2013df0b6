namespace Dm.Core.Upstream;

/// <summary>
/// A failure talking to or validating a database, carrying DM's numeric error code
/// (e.g. 10001 database driver error, 26005 precheck failed, 26007 GTID mode off) for the API layer to map.
/// </summary>
public sealed class UpstreamException : Exception
{
    public int Code { get; }

    /// <summary>True when the connection itself could not be opened (unreachable, refused, bad credentials).</summary>
    public bool ConnectFailed { get; init; }

    /// <summary>
    /// What an API client may be told of a failed connection: the server's own answer when a MySQL server answered (access
    /// denied, TLS refused), else one message for every network failure, so that the API cannot serve as a port scanner
    /// (refused, timed out and "something else listens there" look alike). Null: <see cref="Exception.Message"/> may be shown.
    /// </summary>
    public string? PublicMessage { get; init; }

    /// <summary>The message an API answer carries: <see cref="PublicMessage"/> when set, else the message.</summary>
    public string ShownMessage => PublicMessage ?? Message;

    public UpstreamException(int code, string message, Exception? inner = null) : base(message, inner) => Code = code;
}

/// <summary>DM error codes used by this namespace (numbers from DM's error catalogue).</summary>
public static class UpstreamErrorCodes
{
    /// <summary>ErrDBDriverError: cannot connect / query the database.</summary>
    public const int DatabaseDriverError = 10001;

    /// <summary>ErrDBUnExpect.</summary>
    public const int DatabaseUnexpected = 10004;

    /// <summary>ErrNotSupportedFlavor.</summary>
    public const int NotSupportedFlavor = 11010;

    /// <summary>ErrInvalidServerID: no free replication server-id could be picked.</summary>
    public const int InvalidServerId = 11015;

    /// <summary>ErrConfigCheckItemNotSupport: unknown ignore-checking-items entry.</summary>
    public const int CheckItemNotSupported = 20001;

    /// <summary>ErrConfigInvalidTaskMode.</summary>
    public const int InvalidTaskMode = 20020;

    /// <summary>ErrTaskCheckSameTableName: targets differ only by letter case.</summary>
    public const int TaskCheckSameTableName = 26001;

    /// <summary>ErrTaskCheckFailedOpenDB.</summary>
    public const int TaskCheckFailedOpenDb = 26002;

    /// <summary>ErrTaskCheckSyncConfigError: the precheck found failures.</summary>
    public const int TaskCheckSyncConfigError = 26005;

    /// <summary>ErrSourceCheckGTID: enable-gtid on a MySQL without gtid_mode=ON.</summary>
    public const int SourceCheckGtid = 26007;
}
