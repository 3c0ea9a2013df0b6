using System.Security.Cryptography;
using System.Text;
using Dm.TestKit;

namespace Dm.Master.Tests;

/// <summary>
/// Passwords encrypted by DM's own <c>dmctl encrypt</c> (dm/pkg/encrypt) are accepted: the fixtures are computed
/// here from DM's published algorithm — base64(IV ‖ '@' ‖ AES-256-CFB(password)) — with DM's default key, or with
/// the master's secret-key-path key.
/// </summary>
[Collection(MasterCollection.Name)]
public sealed class DmEncryptedPasswordTests(MasterEnvironment env)
{
    /// <summary>DM's built-in key (dm/pkg/encrypt), as DM publishes it in hex.</summary>
    private const string DmDefaultKeyHex = "a529b7665997f043a30ac8fadcb51d6aa032c226ab5b7750530b12b8c1a16a48";

    /// <summary>What DM's <c>dmctl encrypt</c> prints for <paramref name="plain"/> under <paramref name="keyHex"/>.</summary>
    internal static string DmEncrypt(string plain, string keyHex)
    {
        var text = Encoding.UTF8.GetBytes(plain);
        var iv = RandomNumberGenerator.GetBytes(16);
        using var aes = Aes.Create();
        aes.Key = Convert.FromHexString(keyHex);
        var padded = new byte[(text.Length + 15) / 16 * 16];
        text.CopyTo(padded, 0);
        var encrypted = aes.EncryptCfb(padded, iv, PaddingMode.None, feedbackSizeInBits: 128);
        return Convert.ToBase64String([.. iv, (byte)'@', .. encrypted.AsSpan(0, text.Length)]);
    }

    [Fact]
    public async Task A_source_whose_password_DM_encrypted_with_its_default_key_connects()
    {
        var encrypted = DmEncrypt(env.Upstream1.Password, DmDefaultKeyHex);
        var created = await env.Api.Post("/api/v1/sources",
            new { source = MasterEnvironment.SourceBody("dm-enc-default", env.Upstream1, password: encrypted) });
        Assert.True(created.Code == 201, created.ToString());
        Assert.Equal("******", created.Json!["password"]!.GetValue<string>());
        Assert.DoesNotContain(encrypted, created.Body);
        var schemas = await env.Api.Get("/api/v1/sources/dm-enc-default/schemas");
        Assert.True(schemas.Code == 200, schemas.ToString());
        Assert.Contains("shop", schemas.Body);
    }

    [Fact]
    public async Task With_a_secret_key_path_DM_passwords_encrypted_with_that_key_connect_and_the_default_key_is_not_used()
    {
        var dir = Directory.CreateTempSubdirectory("dm-master-dmkey-").FullName;
        var keyHex = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var keyFile = Path.Combine(dir, "secret.key");
        await File.WriteAllTextAsync(keyFile, keyHex);
        await using var master = await DmMasterProcess.StartAsync("dm-key-master", ["--secret-key-path", keyFile]);
        var api = new ApiClient(master.Http);

        var created = await api.Post("/api/v1/sources",
            new { source = MasterEnvironment.SourceBody("dm-enc-key", env.Upstream1, password: DmEncrypt(env.Upstream1.Password, keyHex)) });
        Assert.True(created.Code == 201, created.ToString());
        Assert.Equal(200, (await api.Get("/api/v1/sources/dm-enc-key/schemas")).Code);

        // As in DM, a configured secret key replaces the default one.
        var withDefault = await api.Post("/api/v1/sources",
            new { source = MasterEnvironment.SourceBody("dm-enc-wrong", env.Upstream1, password: DmEncrypt(env.Upstream1.Password, DmDefaultKeyHex)) });
        Assert.Equal(400, withDefault.Code);
        Assert.Contains("Access denied", withDefault.ErrorMessage);

        // Stored in DM#'s own form, never in clear.
        await master.StopAsync();
        var stored = await File.ReadAllBytesAsync(Path.Combine(master.DataDirectory, "cluster-state.db"));
        var wal = Path.Combine(master.DataDirectory, "cluster-state.db-wal");
        var all = File.Exists(wal) ? stored.Concat(await File.ReadAllBytesAsync(wal)).ToArray() : stored;
        Assert.Equal(-1, all.AsSpan().IndexOf(Encoding.UTF8.GetBytes(env.Upstream1.Password)));
        Directory.Delete(dir, recursive: true);
    }
}
