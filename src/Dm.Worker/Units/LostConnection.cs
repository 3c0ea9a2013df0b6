using System.Net.Sockets;
using MySqlConnector;

namespace Dm.Worker.Units;

/// <summary>
/// Recognises a connection that died under a statement (server killed it, restarted, network cut): the driver
/// then throws an end-of-stream or socket error, possibly wrapped, instead of a server error number. Retrying on a
/// fresh connection can succeed, so auto-resume must cover these.
/// </summary>
internal static class LostConnection
{
    /// <summary>Server errors that mean "your connection is gone / the server is going away".</summary>
    private static readonly HashSet<int> ServerGoneNumbers =
    [
        1053, // ER_SERVER_SHUTDOWN
        1077, // ER_NORMAL_SHUTDOWN
        1152, 1153, 1154, 1155, 1156, 1157, 1158, 1159, 1160, 1161, // ER_ABORTING_CONNECTION, ER_NET_* read/write errors
        1927, // ER_CONNECTION_KILLED (MariaDB)
        2006, 2013, // CR_SERVER_GONE_ERROR, CR_SERVER_LOST
    ];

    public static bool Is(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case SocketException:
                    return true;
                case MySqlException m when ServerGoneNumbers.Contains(m.Number)
                    || m.ErrorCode is MySqlErrorCode.UnableToConnectToHost or MySqlErrorCode.CommandTimeoutExpired:
                    return true;
                // "An incomplete response was received from the server" (an EndOfStreamException) and a socket the
                // peer closed both surface as IOException thrown by the driver or the network stream; file IO does not count.
                case IOException when ThrownBy(current, "MySqlConnector") || ThrownBy(current, "System.Net"):
                    return true;
                case AggregateException aggregate:
                    return aggregate.InnerExceptions.Any(Is);
            }
        }
        return false;
    }

    private static bool ThrownBy(Exception e, string namespacePrefix) =>
        e.TargetSite?.DeclaringType?.Namespace?.StartsWith(namespacePrefix, StringComparison.Ordinal) == true;
}
