using Dm.Master.OpenApi;
using Dm.Master.State;
using static Dm.Master.Api.ApiCatalog;

namespace Dm.Master.Api;

/// <summary>
/// DM#'s own operations, beyond DM's OpenAPI: dmctl <c>encrypt</c> (DM's Encrypt, gRPC only in DM) and its
/// inverse <c>decrypt</c>, with the master's secret key. What encrypt answers is accepted as a password in
/// source.yaml and task.yaml.
/// </summary>
public static class SecretOperations
{
    public const string EncryptOperationId = "DMSharpEncrypt";
    public const string DecryptOperationId = "DMSharpDecrypt";

    public static IEnumerable<ApiOperation> All(PasswordCipher cipher) =>
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
                var body = await r.Body<DecryptRequest>(required: true);
                return r.Ok(new DecryptResponse { Plaintext = cipher.Decrypt(body.Ciphertext) });
            })
        {
            RequestBody = typeof(DecryptRequest),
            Responses = [Ok(typeof(DecryptResponse)), Failed()],
        },
    ];
}
