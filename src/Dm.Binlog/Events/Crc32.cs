namespace Dm.Binlog.Events;

/// <summary>
/// CRC-32 with the zlib/IEEE polynomial, as binlog_checksum=CRC32 uses. System.IO.Hashing's
/// implementation is vectorized (carry-less multiply), which matters at hundreds of MB/s of events.
/// </summary>
internal static class Crc32
{
    public static uint Compute(ReadOnlySpan<byte> data) => System.IO.Hashing.Crc32.HashToUInt32(data);
}
