using System.Security.Cryptography;
using System.Text;
using Dm.Core.CommandLine;

namespace Dm.Master.State;

/// <summary>
/// Encrypts the passwords the master stores (sources, task targets) when it has a secret key
/// (<c>secret-key-path</c>: a file holding 64 hex digits, an AES-256 key). Stored form:
/// <c>enc1:</c> + base64(nonce ‖ tag ‖ ciphertext), AES-GCM. Without a key passwords are stored as given.
/// </summary>
public sealed class PasswordCipher
{
    private const string Prefix = "enc1:";
    private readonly byte[]? _key;

    private PasswordCipher(byte[]? key) => _key = key;

    public bool HasKey => _key != null;

    public static async Task<PasswordCipher> LoadAsync(string? secretKeyPath, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(secretKeyPath)) return new PasswordCipher(null);
        string text;
        try { text = (await File.ReadAllTextAsync(secretKeyPath, ct)).Trim(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProcessConfigException($"cannot read secret-key-path {secretKeyPath}: {e.Message}");
        }
        if (text.Length != 64 || !text.All(Uri.IsHexDigit))
            throw new ProcessConfigException($"secret-key-path {secretKeyPath} must hold a 256-bit key as 64 hex digits");
        return new PasswordCipher(Convert.FromHexString(text));
    }

    public string Protect(string password)
    {
        if (_key == null || password.Length == 0) return password;
        var plain = Encoding.UTF8.GetBytes(password);
        var output = new byte[12 + 16 + plain.Length];
        var nonce = output.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, plain, output.AsSpan(28), output.AsSpan(12, 16));
        return Prefix + Convert.ToBase64String(output);
    }

    public string Reveal(string stored)
    {
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal)) return stored;
        if (_key == null)
            throw new InvalidOperationException("a stored password is encrypted but this master has no secret-key-path");
        var data = Convert.FromBase64String(stored[Prefix.Length..]);
        var plain = new byte[data.Length - 28];
        using var aes = new AesGcm(_key, 16);
        aes.Decrypt(data.AsSpan(0, 12), data.AsSpan(28), data.AsSpan(12, 16), plain);
        return Encoding.UTF8.GetString(plain);
    }
}
