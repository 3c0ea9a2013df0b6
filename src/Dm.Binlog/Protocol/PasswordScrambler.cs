using System.Security.Cryptography;
using System.Text;

namespace Dm.Binlog.Protocol;

/// <summary>The scrambles of the password-based authentication plugins.</summary>
internal static class PasswordScrambler
{
    /// <summary>mysql_native_password: SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password))).</summary>
    public static byte[] Native(string password, ReadOnlySpan<byte> scramble)
    {
        if (password.Length == 0) return [];
        var hash1 = SHA1.HashData(Encoding.UTF8.GetBytes(password));
        var hash2 = SHA1.HashData(hash1);
        var hash3 = SHA1.HashData([.. scramble[..Math.Min(20, scramble.Length)], .. hash2]);
        for (var i = 0; i < hash1.Length; i++) hash1[i] ^= hash3[i];
        return hash1;
    }

    /// <summary>caching_sha2_password fast path: SHA256(password) XOR SHA256(SHA256(SHA256(password)) + scramble).</summary>
    public static byte[] CachingSha2(string password, ReadOnlySpan<byte> scramble)
    {
        if (password.Length == 0) return [];
        var hash1 = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        var hash2 = SHA256.HashData(hash1);
        var hash3 = SHA256.HashData([.. hash2, .. scramble[..Math.Min(20, scramble.Length)]]);
        for (var i = 0; i < hash1.Length; i++) hash1[i] ^= hash3[i];
        return hash1;
    }

    /// <summary>
    /// caching_sha2_password / sha256_password full authentication without TLS: the NUL-terminated password
    /// XORed with the scramble, encrypted with the server's RSA public key (OAEP padding with SHA-1).
    /// </summary>
    public static byte[] RsaEncrypt(string password, ReadOnlySpan<byte> scramble, string publicKeyPem)
    {
        var plain = Encoding.UTF8.GetBytes(password + "\0");
        var salt = scramble[..Math.Min(20, scramble.Length)];
        for (var i = 0; i < plain.Length; i++) plain[i] ^= salt[i % salt.Length];
        using var rsa = RSA.Create();
        rsa.ImportFromPem(publicKeyPem);
        return rsa.Encrypt(plain, RSAEncryptionPadding.OaepSHA1);
    }
}
