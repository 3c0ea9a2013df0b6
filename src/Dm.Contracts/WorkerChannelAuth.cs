using System.Security.Cryptography;
using System.Text;
using Grpc.Core;

namespace Dm.Contracts;

/// <summary>
/// Who may use the worker channel (see worker_hub.proto). Every call between masters and workers carries the cluster's
/// join secret in the <c>dm-join-secret</c> header: the first master generates it into the cluster state and writes it to
/// <c>&lt;data-dir&gt;/join-secret</c>, and workers are given it (<c>--join-secret-file</c>). <c>Register</c> answers a worker
/// with a session token of its own; its <c>Heartbeat</c> and <c>Watch</c> carry it in <c>dm-worker-session</c>, and the
/// master serves a name only to the holder of that name's current session, so a worker cannot act for another.
/// </summary>
public static class WorkerChannelAuth
{
    public const string SecretHeader = "dm-join-secret";
    public const string SessionHeader = "dm-worker-session";

    /// <summary>The name of the file a master writes its cluster's join secret to, in its data dir.</summary>
    public const string SecretFileName = "join-secret";

    /// <summary>A new random secret or session token: 256 bits as 64 hex digits.</summary>
    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>What the master keeps of a session token (SHA-256, hex): the token itself never goes into the store.</summary>
    public static string Digest(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Whether two secrets are equal, in time that does not depend on where they differ.</summary>
    public static bool Same(string? given, string expected) =>
        given != null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    /// <summary>Headers carrying the join secret, and the session token when there is one.</summary>
    public static Metadata Headers(string secret, string? session = null)
    {
        var headers = new Metadata { { SecretHeader, secret } };
        if (session != null) headers.Add(SessionHeader, session);
        return headers;
    }

    /// <summary>A secret read from a file: its first line, trimmed; refused when empty.</summary>
    public static string ReadSecretFile(string path)
    {
        var text = File.ReadAllText(path).Trim();
        if (text.Length == 0) throw new InvalidDataException($"join secret file {path} is empty");
        return text.Split('\n')[0].Trim();
    }

    /// <summary>The refusal of a call without the right secret: the same whatever was wrong, naming nothing secret.</summary>
    public static RpcException NotAuthenticated(string what) =>
        new(new Status(StatusCode.Unauthenticated, $"{what}: the call does not carry this cluster's join secret (dm-worker --join-secret-file <a master's data-dir>/{SecretFileName})"));
}
