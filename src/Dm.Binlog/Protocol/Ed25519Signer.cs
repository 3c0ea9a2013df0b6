using System.Numerics;
using System.Security.Cryptography;

namespace Dm.Binlog.Protocol;

/// <summary>
/// Ed25519 signing as MariaDB's <c>client_ed25519</c> plugin does it: the 64-byte expanded secret key
/// is SHA-512 of the password itself (not of a 32-byte seed), so a stock Ed25519 API cannot be used.
/// Curve arithmetic follows RFC 8032 §5.1 with extended coordinates; speed does not matter (one signature per login).
/// </summary>
internal static class Ed25519Signer
{
    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
    private static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");
    private static readonly BigInteger D = Mod(-121665 * Inverse(121666));
    private static readonly BigInteger BaseX = BigInteger.Parse("15112221349535400772501151409588531511454012693041857206046113283949847762202");
    private static readonly BigInteger BaseY = Mod(4 * Inverse(5));

    private readonly record struct Point(BigInteger X, BigInteger Y, BigInteger Z, BigInteger T);

    public static byte[] Sign(ReadOnlySpan<byte> message, ReadOnlySpan<byte> password)
    {
        var az = SHA512.HashData(password);
        az[0] &= 248;
        az[31] &= 63;
        az[31] |= 64;
        var a = FromLittleEndian(az.AsSpan(0, 32));
        var publicKey = Encode(Multiply(a));
        var r = Mod(FromLittleEndian(SHA512.HashData([.. az.AsSpan(32, 32), .. message])), L);
        var rEncoded = Encode(Multiply(r));
        var h = Mod(FromLittleEndian(SHA512.HashData([.. rEncoded, .. publicKey, .. message])), L);
        var s = Mod(r + h * a, L);
        var signature = new byte[64];
        rEncoded.CopyTo(signature, 0);
        s.TryWriteBytes(signature.AsSpan(32), out _, isUnsigned: true, isBigEndian: false);
        return signature;
    }

    private static Point Multiply(BigInteger scalar)
    {
        var result = new Point(0, 1, 1, 0);
        var addend = new Point(BaseX, BaseY, 1, Mod(BaseX * BaseY));
        while (scalar > 0)
        {
            if (!scalar.IsEven) result = Add(result, addend);
            addend = Add(addend, addend);
            scalar >>= 1;
        }
        return result;
    }

    private static Point Add(Point p, Point q)
    {
        var a = Mod((p.Y - p.X) * (q.Y - q.X));
        var b = Mod((p.Y + p.X) * (q.Y + q.X));
        var c = Mod(p.T * 2 * D * q.T);
        var d = Mod(p.Z * 2 * q.Z);
        var e = b - a;
        var f = d - c;
        var g = d + c;
        var h = b + a;
        return new Point(Mod(e * f), Mod(g * h), Mod(f * g), Mod(e * h));
    }

    private static byte[] Encode(Point point)
    {
        var zInverse = Inverse(point.Z);
        var x = Mod(point.X * zInverse);
        var y = Mod(point.Y * zInverse);
        var bytes = new byte[32];
        y.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        if (!x.IsEven) bytes[31] |= 0x80;
        return bytes;
    }

    private static BigInteger FromLittleEndian(ReadOnlySpan<byte> bytes) => new(bytes, isUnsigned: true, isBigEndian: false);
    private static BigInteger Mod(BigInteger value) => Mod(value, P);
    private static BigInteger Mod(BigInteger value, BigInteger modulus)
    {
        var r = BigInteger.Remainder(value, modulus);
        return r.Sign < 0 ? r + modulus : r;
    }
    private static BigInteger Inverse(BigInteger value) => BigInteger.ModPow(Mod(value), P - 2, P);
}
