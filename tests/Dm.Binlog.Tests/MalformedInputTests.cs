using System.Buffers.Binary;
using Dm.Binlog.Events;
using Dm.Binlog.Files;
using Dm.TestKit;

namespace Dm.Binlog.Tests;

/// <summary>
/// Damaged binlog bytes (taken from a real MariaDB file) give a <see cref="BinlogFormatException"/>
/// naming the file, position and event type — never an out-of-range exception or a hang.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class MalformedInputTests(MariaDbFixture fixture) : IDisposable
{
    private readonly List<string> _tempDirectories = new();

    public void Dispose()
    {
        foreach (var dir in _tempDirectories)
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    private async Task<(string Name, byte[] Bytes)> RealBinlogFileAsync()
    {
        var server = fixture.Server;
        await server.ExecuteAsync("SET GLOBAL binlog_row_metadata = 'FULL'");
        await server.ExecuteAsync("CREATE DATABASE IF NOT EXISTS dm_binlog_test");
        await server.ExecuteAsync("DROP TABLE IF EXISTS dm_binlog_test.malformed");
        await server.ExecuteAsync("FLUSH BINARY LOGS");
        var start = await BinlogReading.CurrentPositionAsync(server);
        await server.ExecuteAsync("CREATE TABLE dm_binlog_test.malformed (id INT PRIMARY KEY, d DECIMAL(20,5), t DATETIME(6), s VARCHAR(50), b BLOB, e ENUM('x','y'), j JSON)");
        for (var i = 1; i <= 10; i++)
            await server.ExecuteAsync($"INSERT INTO dm_binlog_test.malformed VALUES ({i}, {i}.5, NOW(6), REPEAT('s', {i}), REPEAT('b', {i * 10}), 'y', '[{i}]')");
        await server.ExecuteAsync("UPDATE dm_binlog_test.malformed SET s = 'u'");
        await server.ExecuteAsync("FLUSH BINARY LOGS");
        return (start.FileName, await File.ReadAllBytesAsync(Path.Combine(server.BinlogDirectory, start.FileName)));
    }

    private static async Task<List<BinlogEvent>> ReadAllAsync(string path)
    {
        var events = new List<BinlogEvent>();
        await foreach (var ev in new BinlogFileReader(path).ReadEventsAsync())
        {
            if (ev is RowsEvent rows) rows.Rows.SelectMany(r => new[] { r.Before, r.After }).OfType<Rows.RowImage>().ToList().ForEach(i => i.ToArray());
            events.Add(ev);
        }
        return events;
    }

    private async Task<string> WriteTempAsync(string name, byte[] bytes)
    {
        var dir = Path.Combine(Path.GetTempPath(), "dm-binlog-malformed-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        _tempDirectories.Add(dir);
        var path = Path.Combine(dir, name);
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }

    [Fact]
    public async Task TruncatedFileNamesTheEventAndPosition()
    {
        var (name, bytes) = await RealBinlogFileAsync();
        var rows = BinlogFileLayout.Of(bytes).First(e => e.Type == BinlogEventType.WriteRowsV1);
        var path = await WriteTempAsync(name, bytes[..(rows.Position + rows.Size / 2)]);
        var error = await Assert.ThrowsAsync<BinlogFormatException>(() => ReadAllAsync(path));
        Assert.Equal(rows.Position, error.Position);
        Assert.Equal(BinlogEventType.WriteRowsV1, error.EventType);
        Assert.Equal(name, error.LogFile);
        Assert.Contains($"{name}:{rows.Position}", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public async Task BadChecksumNamesTheEventAndPosition()
    {
        var (name, bytes) = await RealBinlogFileAsync();
        var map = BinlogFileLayout.Of(bytes).First(e => e.Type == BinlogEventType.TableMap);
        bytes[map.Position + 25] ^= 0x40;
        var error = await Assert.ThrowsAsync<BinlogFormatException>(async () => await ReadAllAsync(await WriteTempAsync(name, bytes)));
        Assert.Equal(map.Position, error.Position);
        Assert.Equal(BinlogEventType.TableMap, error.EventType);
        Assert.Contains("CRC32", error.Message);
        Assert.Contains($"TableMap at {name}:{map.Position}", error.Message);
    }

    [Fact]
    public async Task WrongEventLengthIsReported()
    {
        var (name, bytes) = await RealBinlogFileAsync();
        var rows = BinlogFileLayout.Of(bytes).First(e => e.Type == BinlogEventType.WriteRowsV1);
        // The header claims fewer bytes than the event has: the decoder sees a cut event whose checksum cannot match.
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(rows.Position + 9), (uint)rows.Size - 7);
        var error = await Assert.ThrowsAsync<BinlogFormatException>(async () => await ReadAllAsync(await WriteTempAsync(name, bytes)));
        Assert.Equal(rows.Position, error.Position);
        Assert.Equal(BinlogEventType.WriteRowsV1, error.EventType);

        // A length below the header size.
        var (_, again) = (name, (byte[])bytes.Clone());
        BinaryPrimitives.WriteUInt32LittleEndian(again.AsSpan(rows.Position + 9), 5);
        error = await Assert.ThrowsAsync<BinlogFormatException>(async () => await ReadAllAsync(await WriteTempAsync(name, again)));
        Assert.Equal(rows.Position, error.Position);
    }

    [Fact]
    public async Task RandomlyDamagedEventsOnlyEverGiveFormatErrors()
    {
        var (_, bytes) = await RealBinlogFileAsync();
        var layout = BinlogFileLayout.Of(bytes);
        var random = new Random(12345);
        var failures = 0;
        for (var round = 0; round < 3000; round++)
        {
            // Decode the whole file with checksums off (so damage reaches the body parsers) and one event damaged.
            var damaged = (byte[])bytes.Clone();
            var target = layout[random.Next(1, layout.Count)];
            var flips = random.Next(1, 4);
            for (var k = 0; k < flips; k++)
                damaged[target.Position + 19 + random.Next(Math.Max(1, target.Size - 23))] = (byte)random.Next(256);
            var decoder = new BinlogEventDecoder { VerifyChecksum = false, LogFile = "damaged" };
            try
            {
                foreach (var (position, _, size) in layout)
                {
                    var ev = decoder.Decode(damaged.AsMemory(position, size), position);
                    if (ev is RowsEvent rows)
                        foreach (var change in rows.Rows)
                        {
                            change.Before?.ToArray();
                            change.After?.ToArray();
                        }
                }
            }
            catch (BinlogFormatException e)
            {
                Assert.Contains("damaged", e.Message);
                failures++;
            }
        }
        Assert.True(failures > 100, $"only {failures} of 3000 damaged files were rejected");
    }

    [Fact]
    public async Task GarbageIsNotABinlogFile()
    {
        var path = await WriteTempAsync("garbage", [1, 2, 3, 4, 5, 6]);
        var error = await Assert.ThrowsAsync<BinlogFormatException>(() => ReadAllAsync(path));
        Assert.Contains("not a binlog file", error.Message);
    }
}
