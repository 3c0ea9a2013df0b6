using System.Security.Cryptography;
using System.Text;

namespace Dm.Master.State;

/// <summary>
/// Passwords encrypted by DM itself (<c>dmctl encrypt</c>, DM's <c>dm/pkg/encrypt</c>), so that a DM user's
/// source.yaml and task.yaml work unchanged: base64 (standard alphabet) of a 16-byte random IV, the byte
/// <c>@</c>, then the password under AES-256 in CFB mode (128-bit feedback). The key is the master's
/// <c>secret-key-path</c> key when one is configured, DM's published default key otherwise. As in DM, a value
/// that does not have this form is a plain password. DM# writes its own stronger form (<c>enc1:</c>, see
/// <see cref="PasswordCipher"/>); this one is only read.
/// </summary>
public static class DmCipherText
{
    /// <summary>DM's built-in key, used by DM when no secret key is configured.</summary>
    public static ReadOnlySpan<byte> DefaultKey =>
    [
        0xa5, 0x29, 0xb7, 0x66, 0x59, 0x97, 0xf0, 0x43, 0xa3, 0x0a, 0xc8, 0xfa, 0xdc, 0xb5, 0x1d, 0x6a,
        0xa0, 0x32, 0xc2, 0x26, 0xab, 0x5b, 0x77, 0x50, 0x53, 0x0b, 0x12, 0xb8, 0xc1, 0xa1, 0x6a, 0x48,
    ];

    private const int IvLength = 16;
    private const byte Separator = (byte)'@';

    /// <summary>
    /// The password inside <paramref name="text"/> when it has DM's form and opens to UTF-8 text under
    /// <paramref name="key"/>; false for anything else (a plain password).
    /// </summary>
    public static bool TryOpen(string text, ReadOnlySpan<byte> key, out string plain)
    {
        plain = "";
        if (text.Length < 24 || text.Length % 4 != 0) return false;
        var data = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, data, out var length) || length <= IvLength || data[IvLength] != Separator)
            return false;
        var cipherLength = length - IvLength - 1;
        // CFB is a stream mode: decrypting whole blocks and keeping the first bytes gives the same result
        // as decrypting the partial last block.
        var padded = new byte[(cipherLength + 15) / 16 * 16];
        data.AsSpan(IvLength + 1, cipherLength).CopyTo(padded);
        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        var opened = aes.DecryptCfb(padded, data.AsSpan(0, IvLength), PaddingMode.None, feedbackSizeInBits: 128);
        try
        {
            plain = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(opened, 0, cipherLength);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false; // not a password DM encrypted with this key
        }
    }
}
