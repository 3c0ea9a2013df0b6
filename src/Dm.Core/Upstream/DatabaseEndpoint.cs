namespace Dm.Core.Upstream;

/// <summary>
/// Where and how to reach one MySQL-compatible server (an upstream source or the downstream target).
/// TLS material is given as PEM contents, not paths, so a config stored in the cluster state is self-contained.
/// </summary>
public sealed record DatabaseEndpoint(string Host, int Port, string User, string Password)
{
    /// <summary>PEM of the CA that signed the server certificate; when set the server certificate is verified against it.</summary>
    public string? TlsCaPem { get; init; }

    /// <summary>PEM of the client certificate (needs <see cref="TlsKeyPem"/>).</summary>
    public string? TlsCertPem { get; init; }

    /// <summary>PEM of the client private key.</summary>
    public string? TlsKeyPem { get; init; }

    /// <summary>
    /// Whether, without TLS, the password may be sent RSA-encrypted with a public key the server sends (MySQL 8's
    /// caching_sha2_password full authentication). Off unless asked for: a key received over plain TCP proves nothing.
    /// Both the SQL connections and the binlog connection follow it.
    /// </summary>
    public bool AllowPublicKeyRetrieval { get; init; }

    /// <summary>
    /// Session variables (a config's <c>session</c> map) set with <c>SET SESSION</c> on every connection opened to this database,
    /// after DM#'s own session settings, in the order given. Names are checked identifiers
    /// (<see cref="Dm.Core.Config.SessionVariables"/>); values are sent as parameters.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> SessionVariables { get; init; } = [];

    /// <summary>True when any TLS material is given: the connection then requires TLS.</summary>
    public bool UsesTls => TlsCaPem != null || TlsCertPem != null || TlsKeyPem != null;

    /// <summary>"host:port", as DM shows an instance in messages.</summary>
    public string Address => $"{Host}:{Port}";

    /// <summary>Value equality, the session variables compared item by item.</summary>
    public bool Equals(DatabaseEndpoint? other) =>
        other is not null && Host == other.Host && Port == other.Port && User == other.User && Password == other.Password
        && TlsCaPem == other.TlsCaPem && TlsCertPem == other.TlsCertPem && TlsKeyPem == other.TlsKeyPem
        && AllowPublicKeyRetrieval == other.AllowPublicKeyRetrieval && SessionVariables.SequenceEqual(other.SessionVariables);

    public override int GetHashCode() => HashCode.Combine(Host, Port, User, Password, TlsCaPem, TlsCertPem, TlsKeyPem, SessionVariables.Count);

    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"{User}:******@{Host}:{Port}";
}
