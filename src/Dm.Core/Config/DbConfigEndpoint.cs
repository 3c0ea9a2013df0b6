using Dm.Core.Upstream;

namespace Dm.Core.Config;

/// <summary>
/// How to reach the database a config's <c>from</c> / <c>target-database</c> names. Its TLS material may be given, as in DM,
/// as PEM contents (<c>ssl-*-bytes</c>, the API's <c>ssl_*_content</c>), as base64 (<c>ssl-*-base64</c>) or as file paths
/// (<c>ssl-ca</c>, <c>ssl-cert</c>, <c>ssl-key</c>, read where the connection is made), in that order of precedence.
/// </summary>
public static class DbConfigEndpoint
{
    /// <exception cref="Errors.DmException">DM's 11112 for a file that cannot be read or base64 that is not, naming the key.</exception>
    public static DatabaseEndpoint From(DbConfig db) => new(db.Host, db.Port, db.User, db.Password)
    {
        TlsCaPem = db.Security?.CaPem(),
        TlsCertPem = db.Security?.CertPem(),
        TlsKeyPem = db.Security?.KeyPem(),
        SessionVariables = db.Session is { Count: > 0 } session ? [.. session] : [],
    };
}
