using Dm.Core.Upstream;

namespace Dm.Core.Config;

/// <summary>How to reach the database a config's <c>from</c> / <c>target-database</c> names.</summary>
public static class DbConfigEndpoint
{
    public static DatabaseEndpoint From(DbConfig db) => new(db.Host, db.Port, db.User, db.Password)
    {
        TlsCaPem = db.Security?.SslCaBytes is { Length: > 0 } ca ? ca : null,
        TlsCertPem = db.Security?.SslCertBytes is { Length: > 0 } cert ? cert : null,
        TlsKeyPem = db.Security?.SslKeyBytes is { Length: > 0 } key ? key : null,
    };
}
