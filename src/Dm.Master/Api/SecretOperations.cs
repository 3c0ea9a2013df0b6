using Dm.Master.OpenApi;
using Dm.Contracts;
using Dm.Master.State;
using Dm.Master.Workers;
using static Dm.Master.Api.ApiCatalog;

namespace Dm.Master.Api;

/// <summary>
/// DM#'s own operations, beyond DM's OpenAPI: dmctl <c>encrypt</c> (DM's Encrypt, gRPC only in DM) and its
/// inverse <c>decrypt</c>, with the master's secret key. What encrypt answers is accepted as a password in
/// source.yaml and task.yaml. Decrypt answers any password in clear, so it serves only an authenticated client: over TLS
/// one whose certificate the master accepted (every https client), over plain http one that carries the cluster's join
/// secret in the <c>dm-join-secret</c> header (dmctl decrypt --join-secret-file); anyone else gets 401 in DM's error shape.
/// </summary>
public static class SecretOperations
{
    public const string EncryptOperationId = "DMSharpEncrypt";
    public const string DecryptOperationId = "DMSharpDecrypt";

    public static IEnumerable<ApiOperation> All(PasswordCipher cipher, JoinSecret joinSecret) =>
    [
        new("POST", "/api/v1/encrypt", EncryptOperationId, "cluster",
            "encrypt a password with the master's secret key (DM#; DM's Encrypt)",
            async r =>
            {
                var body = await r.Body<EncryptRequest>(required: true);
                return r.Ok(new EncryptResponse { Ciphertext = cipher.Encrypt(body.Plaintext) });
            })
        {
            RequestBody = typeof(EncryptRequest),
            Responses = [Ok(typeof(EncryptResponse)), Failed()],
        },
        new("POST", "/api/v1/decrypt", DecryptOperationId, "cluster",
            "decrypt a cipher text made by encrypt with this master's secret key (DM#)",
            async r =>
            {
                RequireAuthenticated(r, joinSecret);
                var body = await r.Body<DecryptRequest>(required: true);
                return r.Ok(new DecryptResponse { Plaintext = cipher.Decrypt(body.Ciphertext) });
            })
        {
            RequestBody = typeof(DecryptRequest),
            Responses = [Ok(typeof(DecryptResponse)), Failed(), new(401, typeof(Dm.Core.Api.ErrorWithMessage), "the client is not authenticated")],
        },
    ];

    private static void RequireAuthenticated(ApiRequest r, JoinSecret joinSecret)
    {
        var connection = r.Http;
        if (connection.Request.IsHttps && connection.Connection.ClientCertificate != null) return;
        if (joinSecret.Matches(connection.Request.Headers[WorkerChannelAuth.SecretHeader].FirstOrDefault())) return;
        throw new ApiInputException(
            $"decrypt answers passwords in clear, so it needs an authenticated client: a client certificate the master accepts (ssl-ca), or the cluster's join secret in the {WorkerChannelAuth.SecretHeader} header (dmctl decrypt --join-secret-file <a master's data-dir>/{WorkerChannelAuth.SecretFileName})",
            StatusCodes.Status401Unauthorized);
    }
}
