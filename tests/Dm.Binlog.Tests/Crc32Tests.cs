namespace Dm.Binlog.Tests;

/// <summary>
/// The binlog CRC-32 (carry-less-multiply folding where the CPU has it) gives exactly
/// System.IO.Hashing's CRC-32 for every length, offset and content.
/// </summary>
public sealed class Crc32Tests
{
    [Fact]
    public void AgreesWithSystemIoHashingForEveryLengthAndOffset()
    {
        var random = new Random(31337);
        var buffer = new byte[70_000];
        random.NextBytes(buffer);
        var lengths = Enumerable.Range(0, 2100).Concat([4095, 4096, 4097, 65_535, 65_536, 69_000]);
        foreach (var length in lengths)
        {
            var offset = random.Next(0, 64);
            var data = buffer.AsSpan(offset, length);
            Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(data), Events.Crc32.Compute(data));
            // The folding path itself from its smallest input up, where this CPU has it.
            if (length >= 16 && Events.Crc32.IsFolding)
                Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(data), Events.Crc32.ComputeFolded(data));
        }
        // Runs of equal bytes (zeros, ones) as well as noise.
        foreach (var fill in new byte[] { 0x00, 0xFF, 0x5A })
        {
            var data = Enumerable.Repeat(fill, 3000).ToArray();
            Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(data), Events.Crc32.Compute(data));
        }
        Assert.Equal(0xCBF43926u, Events.Crc32.Compute("123456789"u8)); // the standard check value
    }
}
