using System.Buffers.Binary;
using System.Globalization;
using Dm.Binlog.Events;
using Dm.Binlog.Files;
using Dm.Binlog.Rows;
using Dm.TestKit;
using MySqlConnector;

namespace Dm.Binlog.Tests;

/// <summary>
/// The allocation-free view path (<see cref="BinlogFileScanner"/>, <see cref="BinlogEventView"/>,
/// <see cref="RowsEventView"/>) over a real MariaDB binlog file decodes exactly what the object path
/// (<see cref="BinlogFileReader"/>, <see cref="RowsEvent.Rows"/>, <see cref="RowImage.GetValue"/>) decodes:
/// the same events at the same positions, every value of every row, and the same errors for damaged files.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class FileScannerTests(MariaDbFixture fixture)
{
    private MariaDbServer Server => fixture.Server;

    /// <summary>A closed binlog file with every column type in FULL, MINIMAL and compressed row events, and events larger than a small buffer.</summary>
    private async Task<string> WriteBinlogAsync(string table, bool bigRows)
    {
        await Server.ExecuteAsync("SET GLOBAL binlog_row_metadata = 'FULL'");
        await Server.ExecuteAsync("CREATE DATABASE IF NOT EXISTS dm_binlog_test");
        await Server.ExecuteAsync("FLUSH BINARY LOGS");
        var start = await BinlogReading.CurrentPositionAsync(Server);
        await using (var connection = await Server.OpenAsync("dm_binlog_test"))
        {
            await Exec(connection, "SET SESSION sql_mode = '', SESSION time_zone = '+00:00'");
            foreach (var (suffix, image, compressed) in new[] { ("full", "FULL", false), ("minimal", "MINIMAL", false), ("zip", "FULL", true) })
            {
                var name = $"{table}_{suffix}";
                await Exec(connection, $"SET SESSION binlog_row_image = '{image}'");
                if (compressed) await Server.ExecuteAsync("SET GLOBAL log_bin_compress = ON, GLOBAL log_bin_compress_min_len = 10");
                try
                {
                    await Exec(connection, $"DROP TABLE IF EXISTS {name}");
                    await Exec(connection, AllColumnTypesTable.CreateTable(name));
                    for (var i = 0; i < AllColumnTypesTable.Rows.Length; i++)
                        await Exec(connection, $"INSERT INTO {name} VALUES ({i + 1}, {AllColumnTypesTable.Rows[i]})");
                    await Exec(connection, string.Format(CultureInfo.InvariantCulture, AllColumnTypesTable.Update, name));
                    await Exec(connection, $"DELETE FROM {name} WHERE id % 2 = 0");
                }
                finally
                {
                    if (compressed) await Server.ExecuteAsync("SET GLOBAL log_bin_compress = OFF");
                }
            }
            // Multi-row events and rows beyond the scanner's smallest buffer (64 KiB), so that it grows and refills.
            if (bigRows)
            {
                await Exec(connection, $"DROP TABLE IF EXISTS {table}_big");
                await Exec(connection, $"CREATE TABLE {table}_big (id INT PRIMARY KEY, b MEDIUMBLOB)");
                await Exec(connection, $"INSERT INTO {table}_big SELECT seq, REPEAT('b', seq * 1000) FROM seq_1_to_150");
                await Exec(connection, $"UPDATE {table}_big SET b = REPEAT('c', 500000) WHERE id = 7");
            }
        }
        await Server.ExecuteAsync("FLUSH BINARY LOGS");
        return Path.Combine(Server.BinlogDirectory, start.FileName);
    }

    private static async Task Exec(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task ViewsDecodeExactlyWhatTheObjectPathDecodes()
    {
        var path = await WriteBinlogAsync("scan", bigRows: true);
        var objects = new BinlogFileReader(path).ReadEvents().ToList();
        Assert.Contains(objects, e => e.EventType is BinlogEventType.MariaDbWriteRowsCompressed or BinlogEventType.MariaDbWriteRowsCompressedV1);
        var expected = DescribeObjects(objects);
        Assert.Contains(expected, line => line.Contains("decimal -99999999999999999999999999999999999.999999999999999999999999999999", StringComparison.Ordinal));

        foreach (var mapped in new[] { true, false })
        {
            using var scanner = new BinlogFileScanner(path, memoryMapped: mapped, bufferSize: 64 * 1024);
            Assert.Equal(expected, DescribeViews(scanner));
        }

        // From the middle: the FORMAT_DESCRIPTION at 4 is still read for the checksum; the TABLE_MAPs come after.
        var middle = objects.FindIndex(objects.Count / 2, e => e is TableMapEvent);
        var startAt = objects[middle - 1].ResumePosition.Position;
        foreach (var mapped in new[] { true, false })
        {
            using var scanner = new BinlogFileScanner(path, startPosition: startAt, memoryMapped: mapped, bufferSize: 64 * 1024);
            Assert.Equal(expected[middle..], DescribeViews(scanner));
        }
    }

    [Fact]
    public async Task DamagedFilesGiveTheSameErrorsAsTheObjectPath()
    {
        var path = await WriteBinlogAsync("scan_bad", bigRows: false);
        var name = Path.GetFileName(path);
        var bytes = await File.ReadAllBytesAsync(path);
        var layout = BinlogFileLayout.Of(bytes);
        var dir = Path.Combine(Path.GetTempPath(), $"dm-scan-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var damagedPath = Path.Combine(dir, name);

            // Cut inside a rows event.
            var rows = layout.First(e => e.Type == BinlogEventType.WriteRowsV1);
            await File.WriteAllBytesAsync(damagedPath, bytes[..(rows.Position + rows.Size / 2)]);
            AssertSameError(damagedPath, rows.Position, "truncated");

            // A flipped bit in a TABLE_MAP.
            var damaged = (byte[])bytes.Clone();
            var map = layout.First(e => e.Type == BinlogEventType.TableMap);
            damaged[map.Position + 25] ^= 0x40;
            await File.WriteAllBytesAsync(damagedPath, damaged);
            AssertSameError(damagedPath, map.Position, "CRC32");

            // A length below the header size.
            damaged = (byte[])bytes.Clone();
            BinaryPrimitives.WriteUInt32LittleEndian(damaged.AsSpan(rows.Position + 9), 5);
            await File.WriteAllBytesAsync(damagedPath, damaged);
            AssertSameError(damagedPath, rows.Position, "less than a header");

            await File.WriteAllBytesAsync(damagedPath, [1, 2, 3, 4, 5, 6]);
            var notBinlog = Assert.Throws<BinlogFormatException>(() => new BinlogFileScanner(damagedPath));
            Assert.Contains("not a binlog file", notBinlog.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        // Random damage with checksums off, so that it reaches the body and row parsers: only format errors, and the same as the object path.
        var random = new Random(2024);
        var rejected = 0;
        for (var round = 0; round < 1000; round++)
        {
            var damaged = (byte[])bytes.Clone();
            var target = layout[random.Next(1, layout.Count)];
            for (var k = random.Next(1, 4); k > 0; k--)
                damaged[target.Position + 19 + random.Next(Math.Max(1, target.Size - 23))] = (byte)random.Next(256);
            var viewError = Run(() => ScanAll(damaged, layout));
            var objectError = Run(() => DecodeAll(damaged, layout));
            Assert.True(viewError is null or BinlogFormatException, $"round {round}: {viewError}");
            Assert.Equal(objectError?.Message, viewError?.Message);
            if (viewError != null) rejected++;
        }
        Assert.True(rejected > 50, $"only {rejected} of 1000 damaged files were rejected");
    }

    private static void AssertSameError(string path, int position, string what)
    {
        var fromObjects = Assert.Throws<BinlogFormatException>(() =>
        {
            using var reader = new BinlogFileReader(path) { MemoryMapped = true };
            DescribeObjects(reader.ReadEvents());
        });
        foreach (var mapped in new[] { true, false })
        {
            var fromViews = Assert.Throws<BinlogFormatException>(() =>
            {
                using var scanner = new BinlogFileScanner(path, memoryMapped: mapped);
                DescribeViews(scanner);
            });
            Assert.Equal(fromObjects.Message, fromViews.Message);
            Assert.Equal(position, fromViews.Position);
            Assert.Equal(Path.GetFileName(path), fromViews.LogFile);
            Assert.Contains(what, fromViews.Message, StringComparison.Ordinal);
        }
    }

    private static Exception? Run(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private static void ScanAll(byte[] file, List<(int Position, BinlogEventType Type, int Size)> layout)
    {
        var decoder = new BinlogEventDecoder { VerifyChecksum = false, LogFile = "damaged" };
        Span<int> scratch = stackalloc int[1024];
        foreach (var (position, _, size) in layout)
        {
            var ev = decoder.Inspect(file.AsSpan(position, size), position);
            if (!ev.IsRows)
            {
                ev.ToEvent();
                continue;
            }
            var rows = ev.AsRows();
            if (rows.Table == null) continue;
            var reader = rows.ReadRows(scratch);
            while (reader.MoveNext())
            {
                ReadAll(reader.Before);
                ReadAll(reader.After);
            }
        }
    }

    private static void ReadAll(RowImageView image)
    {
        if (!image.Exists) return;
        for (var i = 0; i < image.ColumnCount; i++)
            if (image.IsPresent(i))
                image.Read(i, out _);
    }

    private static void DecodeAll(byte[] file, List<(int Position, BinlogEventType Type, int Size)> layout)
    {
        var decoder = new BinlogEventDecoder { VerifyChecksum = false, LogFile = "damaged" };
        foreach (var (position, _, size) in layout)
        {
            if (decoder.Decode(file.AsMemory(position, size), position) is not RowsEvent { Table: not null } rows) continue;
            var reader = rows.ReadRows();
            while (reader.MoveNext())
            {
                ReadAll(reader.Before);
                ReadAll(reader.After);
            }
        }
    }

    /// <summary>Event objects from position 4 as text: type, position, fields, and for rows events every value as GetValue gives it.</summary>
    private static List<string> DescribeObjects(IEnumerable<BinlogEvent> events)
    {
        var result = new List<string>();
        long position = 4;
        foreach (var ev in events)
        {
            result.Add(DescribeObject(ev, position));
            position += ev.Header.EventSize;
        }
        return result;
    }

    private static string DescribeObject(BinlogEvent ev, long position)
    {
        var text = $"{ev.EventType} at {position} {ev.Header}: {Fields(ev)}";
        if (ev is not RowsEvent rows || rows.Table == null) return text;
        var lines = new List<string> { text + $" {rows.Kind} {rows.TableId} {rows.Flags} {rows.ColumnCount}" };
        foreach (var change in rows.Rows)
            foreach (var image in new[] { change.Before, change.After })
            {
                if (image == null) { lines.Add("no image"); continue; }
                for (var i = 0; i < image.ColumnCount; i++)
                {
                    if (!image.IsPresent(i)) { lines.Add("absent"); continue; }
                    image.Read(i, out var value);
                    var disagreement = FastPathAgreement.Disagreement(image.GetValue(i), value);
                    Assert.True(disagreement == null, disagreement);
                    lines.Add(FastPathAgreement.Describe(value));
                }
            }
        return string.Join("\n", lines);
    }

    /// <summary>The same text from the views, with the view accessors for GTID and XID and ToEvent for the rest.</summary>
    private static List<string> DescribeViews(BinlogFileScanner scanner)
    {
        var result = new List<string>();
        Span<int> scratch = stackalloc int[2 * 4096];
        while (scanner.Read(out var ev))
        {
            var fields = ev.EventType switch
            {
                BinlogEventType.MariaDbGtid when ev.TryGetMariaDbGtid(out var gtid, out var flags) => ViewGtid(gtid, flags, ev.ToEvent()),
                BinlogEventType.Xid when ev.TryGetXid(out var xid) => $"xid {xid}",
                BinlogEventType.MariaDbAnnotateRows when ev.TryGetAnnotateRows(out var query) => $"annotate {System.Text.Encoding.UTF8.GetString(query)}",
                BinlogEventType.TableMap => TableFields(ev.AsTableMap()),
                _ when ev.IsRows => "",
                _ => Fields(ev.ToEvent()),
            };
            var text = $"{ev.EventType} at {ev.Position} {ev.Header}: {fields}";
            if (!ev.IsRows)
            {
                Assert.Equal(ev.Position + ev.Header.EventSize, scanner.NextPosition);
                result.Add(text);
                continue;
            }
            var rows = ev.AsRows();
            if (rows.Table == null)
            {
                result.Add(text);
                continue;
            }
            var lines = new List<string> { text + $" {rows.Kind} {rows.TableId} {rows.Flags} {rows.ColumnCount}" };
            var reader = rows.ReadRows(scratch);
            while (reader.MoveNext())
            {
                foreach (var image in new[] { 0, 1 })
                {
                    var view = image == 0 ? reader.Before : reader.After;
                    if (!view.Exists) { lines.Add("no image"); continue; }
                    for (var i = 0; i < view.ColumnCount; i++)
                    {
                        if (!view.IsPresent(i)) { lines.Add("absent"); continue; }
                        view.Read(i, out var value);
                        lines.Add(FastPathAgreement.Describe(value));
                    }
                }
            }
            result.Add(string.Join("\n", lines));
        }
        return result;
    }

    private static string ViewGtid(Gtid.MariaDbGtid gtid, byte flags, BinlogEvent full)
    {
        var expected = (MariaDbGtidEvent)full;
        Assert.Equal(expected.Gtid, gtid);
        Assert.Equal(expected.Flags, flags);
        return Fields(full);
    }

    private static string Fields(BinlogEvent ev) => ev switch
    {
        MariaDbGtidEvent g => $"gtid {g.Gtid} {g.Flags} {g.CommitId}",
        XidEvent x => $"xid {x.Xid}",
        TableMapEvent t => TableFields(t),
        QueryEvent q => $"query {q.DefaultDatabase} {q.Query} {q.SqlMode} {q.ClientCharset}",
        RotateEvent r => $"rotate {r.NextFileName} {r.Position}",
        FormatDescriptionEvent f => $"format {f.ServerVersion} {f.ChecksumAlgorithm}",
        MariaDbGtidListEvent l => $"gtid list {string.Join(",", l.Gtids)}",
        BinlogCheckpointEvent c => $"checkpoint {c.FileName}",
        AnnotateRowsEvent a => $"annotate {a.Query}",
        RawEvent raw => $"raw {Convert.ToHexString(raw.Body.Span)}",
        RowsEvent => "",
        _ => ev.GetType().Name,
    };

    private static string TableFields(TableMapEvent t) =>
        $"table {t.TableId} {t.Database}.{t.Table} {string.Join(",", t.Columns.Select(c => $"{c.Name}:{c.Type}:{c.Metadata}"))}";
}
