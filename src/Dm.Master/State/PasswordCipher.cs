using System.Security.Cryptography;
using System.Text;
using Dm.Core.CommandLine;
using Dm.Core.Errors;

namespace Dm.Master.State;

/// <summary>
/// Encrypts the passwords and TLS private keys the master stores (sources, task targets) when it has a secret key
/// (<c>secret-key-path</c>: a file holding 64 hex digits, an AES-256 key). Stored form:
/// <c>enc1:</c> + base64(nonce ‖ tag ‖ ciphertext), AES-GCM. Without a key passwords are stored as given.
/// The same form is what dmctl <c>encrypt</c> prints, so a config may carry an encrypted password: it is stored
/// as given and revealed only on its way to a connection. A password DM itself encrypted (<see cref="DmCipherText"/>:
/// with this master's key, or DM's default key when it has none) is accepted too: revealed to its plain text, and
/// stored in <c>enc1:</c> form when this master has a key.
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
        if (TryOpen(password, out _)) return password; // already encrypted with this key (dmctl encrypt)
        if (DmCipherText.TryOpen(password, _key, out var dmPlain)) password = dmPlain; // DM's dmctl encrypt
        var plain = Encoding.UTF8.GetBytes(password);
        var output = new byte[12 + 16 + plain.Length];
        var nonce = output.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, plain, output.AsSpan(28), output.AsSpan(12, 16));
        return Prefix + Convert.ToBase64String(output);
    }

    /// <summary>dmctl encrypt: the cipher text of <paramref name="plain"/>; DM's 20067 when this master has no key.</summary>
    public string Encrypt(string plain)
    {
        if (_key == null) throw NoKey();
        if (plain.Length == 0) throw DmErrors.ErrOpenAPICommonError.Wrap(new ArgumentException("nothing to encrypt: the plain text is empty"));
        return Protect(plain);
    }

    /// <summary>dmctl decrypt: the plain text of a cipher text made with this master's key (DM's 11048/11050 otherwise).</summary>
    public string Decrypt(string cipherText)
    {
        if (_key == null) throw NoKey();
        if (!cipherText.StartsWith(Prefix, StringComparison.Ordinal))
            throw DmErrors.ErrCiphertextContextNotValid.Wrap(new FormatException($"cipher text must start with \"{Prefix}\""));
        try
        {
            Convert.FromBase64String(cipherText[Prefix.Length..]);
        }
        catch (FormatException e)
        {
            throw DmErrors.ErrEncCipherTextBase64Decode.Wrap(e, "(hidden)");
        }
        return TryOpen(cipherText, out var plain)
            ? plain
            : throw DmErrors.ErrCiphertextContextNotValid.Wrap(new CryptographicException("it was not made with this master's secret key, or it was altered"));
    }

    private static DmException NoKey() => DmErrors.ErrConfigSecretKeyPath.New(
        "this dm-master has no secret key: start it with --secret-key-path <file holding 64 hex digits> to encrypt or decrypt passwords");

    private bool TryOpen(string text, out string plain)
    {
        plain = "";
        if (_key == null || !text.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var data = new byte[(text.Length - Prefix.Length) / 4 * 3 + 3];
        if (!Convert.TryFromBase64String(text[Prefix.Length..], data, out var length) || length < 28) return false;
        var opened = new byte[length - 28];
        try
        {
            using var aes = new AesGcm(_key, 16);
            aes.Decrypt(data.AsSpan(0, 12), data.AsSpan(28, length - 28), data.AsSpan(12, 16), opened);
        }
        catch (CryptographicException)
        {
            return false;
        }
        plain = Encoding.UTF8.GetString(opened);
        return true;
    }

    /// <summary>The TLS settings with their private key (<c>ssl_key_content</c>) protected like a password.</summary>
    public Dm.Core.Api.Security? ProtectKey(Dm.Core.Api.Security? security) =>
        security is { SslKeyContent.Length: > 0 } ? security with { SslKeyContent = Protect(security.SslKeyContent) } : security;

    /// <summary>The TLS settings with their private key in clear, on their way to a connection or a worker.</summary>
    public Dm.Core.Api.Security? RevealKey(Dm.Core.Api.Security? security) =>
        security is { SslKeyContent.Length: > 0 } ? security with { SslKeyContent = Reveal(security.SslKeyContent) } : security;

    public string Reveal(string stored)
    {
        if (stored.StartsWith(Prefix, StringComparison.Ordinal))
            return _key == null ? throw NoKey() : Decrypt(stored);
        return DmCipherText.TryOpen(stored, _key ?? DmCipherText.DefaultKey, out var plain) ? plain : stored;
    }
}
