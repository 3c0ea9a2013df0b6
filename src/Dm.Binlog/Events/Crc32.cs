using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dm.Binlog.Events;

/// <summary>
/// CRC-32 with the zlib/IEEE polynomial, as binlog_checksum=CRC32 uses. System.IO.Hashing's implementation
/// folds 128 bits at a time (carry-less multiply); on CPUs with 512-bit carry-less multiply (VPCLMULQDQ) large
/// events are folded 256 bytes at a time here first, and System.IO.Hashing finishes the last 256 to 511 bytes.
/// </summary>
internal static class Crc32
{
    // Below this, one 512-bit block loop would barely run: System.IO.Hashing alone.
    private const int WideMinimum = 1024;

    // Folding a 128-bit lane forward by 2048 bits (256 bytes) in the bit-reflected domain: its low 64 bits times
    // x^(2048+32) mod P and its high 64 bits times x^(2048-32) mod P, each bit-reflected and shifted left by one
    // (Intel, "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ", the folding constants k1/k2 at this
    // distance; the same derivation gives the well-known 0x154442BD4/0x1C6E41596 at 512 bits).
    private const ulong FoldLow = 0x1_1542_778A;
    private const ulong FoldHigh = 0x1_322D_1430;

    public static uint Compute(ReadOnlySpan<byte> data) =>
        data.Length >= WideMinimum && Pclmulqdq.V512.IsSupported ? ComputeWide(data) : System.IO.Hashing.Crc32.HashToUInt32(data);

    /// <summary>
    /// Folds whole 256-byte blocks (of at least 256 bytes) into four 512-bit accumulators. Folding keeps the message's value modulo the
    /// polynomial, so the accumulators' 256 bytes followed by the unfolded tail have the CRC of the whole input;
    /// System.IO.Hashing computes that (its initial value cancelled, since the fold already took it in).
    /// </summary>
    internal static uint ComputeWide(ReadOnlySpan<byte> data)
    {
        ref var start = ref MemoryMarshal.GetReference(data);
        var length = (nuint)data.Length;
        var constants = Vector512.Create(FoldLow, FoldHigh, FoldLow, FoldHigh, FoldLow, FoldHigh, FoldLow, FoldHigh);
        // The CRC's initial value ~0 enters as the first 32 bits of the message inverted.
        var x0 = Vector512.LoadUnsafe(ref start).AsUInt64() ^ Vector512.CreateScalar(0xFFFF_FFFFUL);
        var x1 = Vector512.LoadUnsafe(ref start, 64).AsUInt64();
        var x2 = Vector512.LoadUnsafe(ref start, 128).AsUInt64();
        var x3 = Vector512.LoadUnsafe(ref start, 192).AsUInt64();
        nuint offset = 256;
        for (; offset + 256 <= length; offset += 256)
        {
            x0 = Fold(x0, constants) ^ Vector512.LoadUnsafe(ref start, offset).AsUInt64();
            x1 = Fold(x1, constants) ^ Vector512.LoadUnsafe(ref start, offset + 64).AsUInt64();
            x2 = Fold(x2, constants) ^ Vector512.LoadUnsafe(ref start, offset + 128).AsUInt64();
            x3 = Fold(x3, constants) ^ Vector512.LoadUnsafe(ref start, offset + 192).AsUInt64();
        }
        Span<byte> rest = stackalloc byte[512];
        ref var restStart = ref MemoryMarshal.GetReference(rest);
        // Cancel System.IO.Hashing's initial value (~0) on the first 32 bits: it was applied above.
        (x0 ^ Vector512.CreateScalar(0xFFFF_FFFFUL)).AsByte().StoreUnsafe(ref restStart);
        x1.AsByte().StoreUnsafe(ref restStart, 64);
        x2.AsByte().StoreUnsafe(ref restStart, 128);
        x3.AsByte().StoreUnsafe(ref restStart, 192);
        var tail = data[(int)offset..];
        tail.CopyTo(rest[256..]);
        return System.IO.Hashing.Crc32.HashToUInt32(rest[..(256 + tail.Length)]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Fold(Vector512<ulong> x, Vector512<ulong> constants) =>
        Pclmulqdq.V512.CarrylessMultiply(x, constants, 0x00) ^ Pclmulqdq.V512.CarrylessMultiply(x, constants, 0x11);
}
