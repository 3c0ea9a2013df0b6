namespace Dm.Core.Upstream;

/// <summary>
/// A connection no MySQL server answered (refused, timed out, another service), as an API answer tells it: in one message
/// (<see cref="DatabaseConnector.Unreachable"/>) and not before <see cref="DatabaseConnector.ConnectTimeout"/> has passed
/// since the request began, so that neither the words nor the time of the answer tell a closed port from a filtered one
/// (the API is no port scanner). What remains: an address that takes longer than the connect timeout to fail, and a
/// MySQL server's own answer (access denied, TLS), which is shown as it is.
/// </summary>
public static class UnansweredConnect
{
    /// <summary>Whether <paramref name="e"/> or an exception it wraps is a connection no MySQL server answered.</summary>
    public static bool In(Exception? e)
    {
        for (; e != null; e = e.InnerException)
            if (e is UpstreamException { ConnectFailed: true, PublicMessage: not null })
                return true;
        return false;
    }

    /// <summary>Waits until the connect timeout has passed since <paramref name="startedAt"/> (a <paramref name="time"/> timestamp).</summary>
    public static async Task PadAsync(TimeProvider time, long startedAt, CancellationToken ct)
    {
        var remaining = DatabaseConnector.ConnectTimeout - time.GetElapsedTime(startedAt);
        if (remaining > TimeSpan.Zero) await Task.Delay(remaining, time, ct);
    }
}
