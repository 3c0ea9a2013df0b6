using Dm.Binlog.Events;
using Dm.Binlog.Rows;

namespace Dm.Binlog.Tests;

/// <summary>
/// The fast locator of full row images (<c>RowsParser.TryLocateFull</c>) finds exactly the column offsets and image end the
/// general locator finds, or declines (leaving the position alone) where the general one fails or needs per-type work:
/// random tables of fixed-width and length-prefixed columns, random NULLs, valid and cut-off row bytes.
/// </summary>
public sealed class FullImageLocatorTests
{
    [Fact]
    public void AgreesWithTheGeneralLocatorOnRandomImages()
    {
        var random = new Random(20261124);
        var context = new RowsEventContext(BinlogEventType.WriteRowsV1, "test-bin.000001", 4, null, 1);
        int taken = 0, declined = 0;
        for (var round = 0; round < 3000; round++)
        {
            var columns = RandomTable(random, random.Next(1, 40));
            var widths = ColumnWidths.For(columns);
            var image = RandomImage(random, columns);
            // Valid bytes, or cut short anywhere, or with noise in a length prefix.
            var data = random.Next(4) switch
            {
                0 => image[..random.Next(image.Length + 1)],
                1 => Damaged(random, image),
                _ => image,
            };
            var start = random.Next(3);
            var padded = new byte[start + data.Length];
            data.CopyTo(padded, start);

            var general = new int[columns.Length];
            var generalAt = start;
            string? generalError = null;
            try
            {
                RowsParser.Locate(context, columns, widths, padded, ref generalAt, AllPresent(columns.Length), general);
            }
            catch (BinlogFormatException e)
            {
                generalError = e.Message;
            }

            var fast = new int[columns.Length];
            var fastAt = start;
            if (RowsParser.TryLocateFull(padded, ref fastAt, widths, fast))
            {
                taken++;
                Assert.Null(generalError);
                Assert.Equal(generalAt, fastAt);
                Assert.Equal(general, fast);
            }
            else
            {
                declined++;
                Assert.Equal(start, fastAt);
            }
        }
        // Both outcomes were exercised.
        Assert.True(taken > 1000, $"fast path taken {taken} times");
        Assert.True(declined > 300, $"fast path declined {declined} times");
    }

    [Theory]
    [InlineData(3, new byte[] { 5, 0, 1 })] // MEDIUMBLOB claiming 65,541 bytes: its third length byte counts
    [InlineData(4, new byte[] { 0xF0, 0xFF, 0xFF, 0xFF })] // LONGBLOB claiming 2^32 - 16 bytes: beyond any int
    [InlineData(4, new byte[] { 0xFF, 0xFF, 0xFF, 0x7F })] // LONGBLOB claiming int.MaxValue bytes
    public void LengthPrefixesClaimingMoreThanFollowsAreDeclined(int prefixBytes, byte[] prefix)
    {
        var columns = new[] { new ColumnDefinition { Index = 0, Type = ColumnType.Blob, BinlogType = ColumnType.Blob, Metadata = (ushort)prefixBytes } };
        var data = new byte[1 + prefix.Length + 400]; // NULL bitmap, prefix, far fewer bytes than claimed
        prefix.CopyTo(data, 1);
        var at = 0;
        Assert.False(RowsParser.TryLocateFull(data, ref at, ColumnWidths.For(columns), new int[1]));
        Assert.Equal(0, at);
        var context = new RowsEventContext(BinlogEventType.WriteRowsV1, "test-bin.000001", 4, null, 1);
        Assert.Throws<BinlogFormatException>(() => RowsParser.Locate(context, columns, ColumnWidths.For(columns), data, ref at, [1], new int[1]));
    }

    [Fact]
    public void FullMeansEveryColumnAndNothingElse()
    {
        Assert.True(RowsParser.IsFull([0x0F], 4));
        Assert.True(RowsParser.IsFull([0xFF, 0x01], 9));
        Assert.False(RowsParser.IsFull([0x0B], 4)); // column 2 absent
        Assert.False(RowsParser.IsFull([0x1F], 4)); // a bit past the last column: another NULL-bitmap length
        Assert.False(RowsParser.IsFull([0xFF, 0x00], 9));
    }

    private static byte[] AllPresent(int columns)
    {
        var bitmap = new byte[(columns + 7) / 8];
        for (var i = 0; i < columns; i++) bitmap[i >> 3] |= (byte)(1 << (i & 7));
        return bitmap;
    }

    /// <summary>Columns of the fixed-width and length-prefixed kinds, plus now and then one the fast path must leave (a pre-5.6 DATETIME).</summary>
    private static ColumnDefinition[] RandomTable(Random random, int count)
    {
        var columns = new ColumnDefinition[count];
        for (var i = 0; i < count; i++)
        {
            columns[i] = random.Next(12) switch
            {
                0 => new ColumnDefinition { Index = i, Type = ColumnType.Tiny, BinlogType = ColumnType.Tiny, IsNullable = true },
                1 => new ColumnDefinition { Index = i, Type = ColumnType.Short, BinlogType = ColumnType.Short, IsNullable = true },
                2 => new ColumnDefinition { Index = i, Type = ColumnType.LongLong, BinlogType = ColumnType.LongLong, IsNullable = true },
                3 => new ColumnDefinition { Index = i, Type = ColumnType.Double, BinlogType = ColumnType.Double, Metadata = 8, IsNullable = true },
                4 or 5 => new ColumnDefinition { Index = i, Type = ColumnType.VarChar, BinlogType = ColumnType.VarChar, Metadata = 120, MaxLength = 120, IsNullable = true },
                6 => new ColumnDefinition { Index = i, Type = ColumnType.VarChar, BinlogType = ColumnType.VarChar, Metadata = 1000, MaxLength = 1000, IsNullable = true },
                7 => new ColumnDefinition { Index = i, Type = ColumnType.String, BinlogType = ColumnType.String, Metadata = 0xFE3C, MaxLength = 60, IsNullable = true },
                8 => new ColumnDefinition { Index = i, Type = ColumnType.Blob, BinlogType = ColumnType.Blob, Metadata = (ushort)random.Next(1, 5), IsNullable = true },
                9 => new ColumnDefinition { Index = i, Type = ColumnType.Json, BinlogType = ColumnType.Json, Metadata = 4, IsNullable = true },
                10 when random.Next(4) == 0 => new ColumnDefinition { Index = i, Type = ColumnType.DateTime, BinlogType = ColumnType.DateTime, IsNullable = true },
                _ => new ColumnDefinition { Index = i, Type = ColumnType.Long, BinlogType = ColumnType.Long, IsNullable = true },
            };
        }
        return columns;
    }

    /// <summary>A well-formed full image: NULL bitmap, then each non-NULL value in its width.</summary>
    private static byte[] RandomImage(Random random, ColumnDefinition[] columns)
    {
        var bytes = new List<byte>(new byte[(columns.Length + 7) / 8]);
        for (var i = 0; i < columns.Length; i++)
        {
            if (random.Next(5) == 0)
            {
                bytes[i >> 3] |= (byte)(1 << (i & 7));
                continue;
            }
            var column = columns[i];
            switch (column.Type)
            {
                case ColumnType.VarChar or ColumnType.String:
                {
                    var length = random.Next(Math.Min(column.MaxLength, 300) + 1);
                    if (column.MaxLength < 256) bytes.Add((byte)length);
                    else bytes.AddRange([(byte)length, (byte)(length >> 8)]);
                    bytes.AddRange(Noise(random, length));
                    break;
                }
                case ColumnType.Blob or ColumnType.Json:
                {
                    var length = random.Next(column.Metadata == 1 ? 256 : 600);
                    // Now and then a prefix claiming far more than follows (top bytes set, up to 2^32 - 1): cut off.
                    var claimed = column.Metadata > 2 && random.Next(8) == 0 ? (uint)length | (uint)random.Next(1, 256) << (8 * (column.Metadata - 1)) : (uint)length;
                    for (var k = 0; k < column.Metadata; k++) bytes.Add((byte)(claimed >> (8 * k)));
                    bytes.AddRange(Noise(random, length));
                    break;
                }
                default:
                    bytes.AddRange(Noise(random, RowValueDecoder.ValueLength(column, ReadOnlySpan<byte>.Empty)));
                    break;
            }
        }
        return bytes.ToArray();
    }

    private static byte[] Damaged(Random random, byte[] image)
    {
        var copy = (byte[])image.Clone();
        if (copy.Length > 0) copy[random.Next(copy.Length)] = (byte)random.Next(256);
        return copy;
    }

    private static byte[] Noise(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
