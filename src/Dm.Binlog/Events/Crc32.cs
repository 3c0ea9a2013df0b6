using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dm.Binlog.Events;

/// <summary>
/// CRC-32 with the zlib/IEEE polynomial, as binlog_checksum=CRC32 uses. On CPUs with 512-bit carry-less multiply
/// (VPCLMULQDQ) every input of 16 bytes or more is folded here in one pass with no call: 256 bytes at a time into four
/// 512-bit accumulators for large events, 64 at a time into one for medium ones (most row events), 16 at a time for
/// the rest, the last partial block shifted in, then one Barrett reduction (Intel, "Fast CRC Computation for Generic
/// Polynomials Using PCLMULQDQ"). Elsewhere, and below 16 bytes, System.IO.Hashing computes it.
/// </summary>
internal static class Crc32
{
    // Folding a 128-bit lane forward by d bits in the bit-reflected domain: its low 64 bits times x^(d+32) mod P and
    // its high 64 bits times x^(d-32) mod P, each bit-reflected and shifted left by one. Pairs (low, high) by d.
    private const ulong Fold128Low = 0x1_7519_97D0, Fold128High = 0x0_CCAA_009E;
    private const ulong Fold256Low = 0x0_F1DA_05AA, Fold256High = 0x1_5A54_6366;
    private const ulong Fold384Low = 0x0_3DB1_ECDC, Fold384High = 0x1_7435_9406;
    private const ulong Fold512Low = 0x1_5444_2BD4, Fold512High = 0x1_C6E4_1596;
    private const ulong Fold2048Low = 0x1_1542_778A, Fold2048High = 0x1_322D_1430;

    // The last steps to 32 bits: x^64 mod P (reflected, shifted), then Barrett's mu = x^64 / P and P itself (reflected).
    private const ulong Fold64 = 0x1_63CD_6124;
    private const ulong BarrettMu = 0x1_F701_1641;
    private const ulong Polynomial = 0x1_DB71_0641;

    /// <summary>Whether this CPU takes the folding path (else System.IO.Hashing computes every CRC).</summary>
    public static bool IsFolding => Pclmulqdq.V512.IsSupported && Ssse3.IsSupported;

    public static uint Compute(ReadOnlySpan<byte> data) =>
        data.Length >= 16 && IsFolding ? ComputeFolded(data) : System.IO.Hashing.Crc32.HashToUInt32(data);

    // Byte-shuffle masks for the last partial block: 16 bytes from ShiftTable[r] move the first r bytes of a lane to
    // its end (zeros before), from ShiftTable[16 + r] drop the first r bytes (zeros after); KeepMask[r] keeps the last r.
    private static ReadOnlySpan<byte> ShiftTable =>
    [
        0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
    ];

    private static ReadOnlySpan<byte> KeepMask =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    ];

    /// <summary>The CRC of at least 16 bytes by folding (<see cref="IsFolding"/> must hold).</summary>
    internal static uint ComputeFolded(ReadOnlySpan<byte> data)
    {
        ref var start = ref MemoryMarshal.GetReference(data);
        var length = (nuint)data.Length;
        Vector128<ulong> x;
        nuint offset;
        if (length >= 64)
        {
            // The CRC's initial value ~0 enters as the first 32 bits of the message inverted.
            var z = Vector512.LoadUnsafe(ref start).AsUInt64() ^ Vector512.CreateScalar(0xFFFF_FFFFUL);
            offset = 64;
            if (length >= 512)
            {
                // Four independent accumulators hide the multiply's latency; then folded into the first, 64 bytes apart.
                var far = Vector512.Create(Fold2048Low, Fold2048High, Fold2048Low, Fold2048High, Fold2048Low, Fold2048High, Fold2048Low, Fold2048High);
                var z1 = Vector512.LoadUnsafe(ref start, 64).AsUInt64();
                var z2 = Vector512.LoadUnsafe(ref start, 128).AsUInt64();
                var z3 = Vector512.LoadUnsafe(ref start, 192).AsUInt64();
                for (offset = 256; offset + 256 <= length; offset += 256)
                {
                    if (Sse.IsSupported) PrefetchLines(ref start, offset + PrefetchDistance);
                    z = Fold(z, far) ^ Vector512.LoadUnsafe(ref start, offset).AsUInt64();
                    z1 = Fold(z1, far) ^ Vector512.LoadUnsafe(ref start, offset + 64).AsUInt64();
                    z2 = Fold(z2, far) ^ Vector512.LoadUnsafe(ref start, offset + 128).AsUInt64();
                    z3 = Fold(z3, far) ^ Vector512.LoadUnsafe(ref start, offset + 192).AsUInt64();
                }
                var near = Vector512.Create(Fold512Low, Fold512High, Fold512Low, Fold512High, Fold512Low, Fold512High, Fold512Low, Fold512High);
                z = Fold(Fold(Fold(z, near) ^ z1, near) ^ z2, near) ^ z3;
            }
            var step = Vector512.Create(Fold512Low, Fold512High, Fold512Low, Fold512High, Fold512Low, Fold512High, Fold512Low, Fold512High);
            for (; offset + 64 <= length; offset += 64) z = Fold(z, step) ^ Vector512.LoadUnsafe(ref start, offset).AsUInt64();
            // The four 128-bit lanes into the last: each folded forward by its distance to it (the last lane by none).
            var lanes = Fold(z, Vector512.Create(Fold384Low, Fold384High, Fold256Low, Fold256High, Fold128Low, Fold128High, 0UL, 0UL));
            x = lanes.GetLower().GetLower() ^ lanes.GetLower().GetUpper() ^ lanes.GetUpper().GetLower() ^ z.GetUpper().GetUpper();
        }
        else
        {
            x = Vector128.LoadUnsafe(ref start).AsUInt64() ^ Vector128.CreateScalar(0xFFFF_FFFFUL);
            offset = 16;
        }
        var fold128 = Vector128.Create(Fold128Low, Fold128High);
        for (; offset + 16 <= length; offset += 16) x = Fold(x, fold128) ^ Vector128.LoadUnsafe(ref start, offset).AsUInt64();
        var rest = length - offset;
        if (rest != 0)
        {
            // The message is x's 16 bytes then the rest: x's first `rest` bytes folded over the 16 bytes that end it.
            ref var shifts = ref MemoryMarshal.GetReference(ShiftTable);
            var bytes = x.AsByte();
            var head = Ssse3.Shuffle(bytes, Vector128.LoadUnsafe(ref shifts, rest));
            var tail = Ssse3.Shuffle(bytes, Vector128.LoadUnsafe(ref shifts, 16 + rest))
                | Vector128.LoadUnsafe(ref start, length - 16) & Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(KeepMask), rest);
            x = Fold(head.AsUInt64(), fold128) ^ tail.AsUInt64();
        }
        return ~Reduce(x);
    }

    /// <summary>128 bits to the 32-bit remainder: fold to 96, then to 64 bits, then Barrett reduction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Reduce(Vector128<ulong> x)
    {
        var low32 = Vector128.CreateScalar(0xFFFF_FFFFUL);
        var t = Pclmulqdq.CarrylessMultiply(x, Vector128.CreateScalar(Fold128High), 0x00) ^ Sse2.ShiftRightLogical128BitLane(x, 8);
        t = Pclmulqdq.CarrylessMultiply(t & low32, Vector128.CreateScalar(Fold64), 0x00) ^ Sse2.ShiftRightLogical128BitLane(t, 4);
        var quotient = Pclmulqdq.CarrylessMultiply(t & low32, Vector128.CreateScalar(BarrettMu), 0x00) & low32;
        return (Pclmulqdq.CarrylessMultiply(quotient, Vector128.CreateScalar(Polynomial), 0x00) ^ t).AsUInt32().GetElement(1);
    }

    // Large inputs (whole files, MariaDB's long ANNOTATE_ROWS of bulk inserts) stream from memory: the cache is asked
    // for the 256 bytes this far ahead of each block folded (the hardware prefetcher stops at every 4 KiB page).
    private const int PrefetchDistance = 2048;

    /// <summary>Prefetches the four cache lines at <paramref name="offset"/> from <paramref name="start"/> (maybe past the input: a hint never faults).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchLines(ref byte start, nuint offset)
    {
        // Not pinned: should the GC move the input meanwhile, a stale address costs one useless hint, nothing else.
        var p = (byte*)Unsafe.AsPointer(ref start) + offset;
        Sse.Prefetch0(p);
        Sse.Prefetch0(p + 64);
        Sse.Prefetch0(p + 128);
        Sse.Prefetch0(p + 192);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Fold(Vector512<ulong> x, Vector512<ulong> constants) =>
        Pclmulqdq.V512.CarrylessMultiply(x, constants, 0x00) ^ Pclmulqdq.V512.CarrylessMultiply(x, constants, 0x11);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Fold(Vector128<ulong> x, Vector128<ulong> constants) =>
        Pclmulqdq.CarrylessMultiply(x, constants, 0x00) ^ Pclmulqdq.CarrylessMultiply(x, constants, 0x11);
}
