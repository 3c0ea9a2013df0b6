using Dm.Binlog.Events;
using Dm.Binlog.Files;
using Dm.TestKit;

namespace Dm.Binlog.Tests;

/// <summary>
/// <see cref="BinlogFileReader.MemoryMapped"/> reads a real MariaDB binlog file exactly as the chunked
/// reader does: the same events, positions, values and errors.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class MappedFileReaderTests(MariaDbFixture fixture)
{
    [Fact]
    public async Task MappedReadingGivesTheSameEventsValuesAndErrors()
    {
        var server = fixture.Server;
        await server.ExecuteAsync("SET GLOBAL binlog_row_metadata = 'FULL'");
        await server.ExecuteAsync("CREATE DATABASE IF NOT EXISTS dm_binlog_test");
        await server.ExecuteAsync("DROP TABLE IF EXISTS dm_binlog_test.mapped");
        await server.ExecuteAsync("FLUSH BINARY LOGS");
        var start = await BinlogReading.CurrentPositionAsync(server);
        await server.ExecuteAsync("CREATE TABLE dm_binlog_test.mapped (id INT PRIMARY KEY, d DECIMAL(20,5), t DATETIME(6), s VARCHAR(300), b MEDIUMBLOB)");
        // Some rows larger than the chunked reader's 1 MiB chunks, so both paths cross chunk ends.
        for (var i = 1; i <= 12; i++)
            await server.ExecuteAsync($"INSERT INTO dm_binlog_test.mapped VALUES ({i}, {i}.25, NOW(6), REPEAT('s', {i * 20}), REPEAT('b', {(i % 4 == 0 ? 1_500_000 : i * 100)}))");
        await server.ExecuteAsync("UPDATE dm_binlog_test.mapped SET s = CONCAT(s, 'u'), d = -d");
        await server.ExecuteAsync("DELETE FROM dm_binlog_test.mapped WHERE id % 2 = 0");
        await server.ExecuteAsync("FLUSH BINARY LOGS");
        var path = Path.Combine(server.BinlogDirectory, start.FileName);

        var chunked = Describe(new BinlogFileReader(path), 4);
        using (var mapped = new BinlogFileReader(path) { MemoryMapped = true })
            Assert.Equal(chunked, Describe(mapped, 4));
        Assert.Contains(chunked, line => line.Contains("text " + new string('s', 240) + "u", StringComparison.Ordinal));
        Assert.Contains(chunked, line => line.Contains("decimal -3.25000", StringComparison.Ordinal));

        // From the middle: the FORMAT_DESCRIPTION at 4 is still read for the checksum.
        var events = new BinlogFileReader(path).ReadEvents().ToList();
        var middle = events[events.Count / 2].ResumePosition.Position;
        using (var mapped = new BinlogFileReader(path) { MemoryMapped = true })
            Assert.Equal(Describe(new BinlogFileReader(path), middle), Describe(mapped, middle));

        // A file cut inside its last event: the same error from both.
        var cut = Path.Combine(Path.GetTempPath(), $"dm-mapped-{Guid.NewGuid():N}", start.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(cut)!);
        try
        {
            var bytes = await File.ReadAllBytesAsync(path);
            await File.WriteAllBytesAsync(cut, bytes[..^10]);
            var fromChunks = Assert.Throws<BinlogFormatException>(() => Describe(new BinlogFileReader(cut), 4));
            using var mapped = new BinlogFileReader(cut) { MemoryMapped = true };
            var fromMap = Assert.Throws<BinlogFormatException>(() => Describe(mapped, 4));
            Assert.Equal(fromChunks.Message, fromMap.Message);
            Assert.Contains("truncated", fromMap.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(cut)!, recursive: true);
        }
    }

    /// <summary>Each event's type and positions, and for rows events every value (fast path, checked against GetValue).</summary>
    private static List<string> Describe(BinlogFileReader reader, long start)
    {
        var lines = new List<string>();
        foreach (var ev in reader.ReadEvents(start))
        {
            lines.Add($"{ev.EventType} {ev.Header.NextPosition} {ev.ResumePosition}");
            if (ev is not RowsEvent rows || rows.Table == null) continue;
            Assert.Empty(FastPathAgreement.Check([rows]));
            var rowReader = rows.ReadRows();
            while (rowReader.MoveNext())
            {
                foreach (var image in new[] { 0, 1 })
                {
                    var view = image == 0 ? rowReader.Before : rowReader.After;
                    if (!view.Exists) continue;
                    for (var i = 0; i < view.ColumnCount; i++)
                    {
                        if (!view.IsPresent(i)) continue;
                        view.Read(i, out var value);
                        lines.Add(FastPathAgreement.Describe(value));
                    }
                }
            }
        }
        return lines;
    }
}
