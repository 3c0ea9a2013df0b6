using Dm.Core.Api;
using Dm.Core.Upstream;

namespace Dm.Master.State;

/// <summary>How to reach a database the API describes (a source, a task's target), with its TLS contents.</summary>
public static class ApiEndpoint
{
    public static DatabaseEndpoint Of(string host, int port, string user, string password, Security? security) =>
        new(host, port, user, password)
        {
            TlsCaPem = security?.SslCaContent is { Length: > 0 } ca ? ca : null,
            TlsCertPem = security?.SslCertContent is { Length: > 0 } cert ? cert : null,
            TlsKeyPem = security?.SslKeyContent is { Length: > 0 } key ? key : null,
        };
}
