using Dm.Binlog.Events;
using Dm.Binlog.Files;
using Dm.Binlog.Gtid;
using Dm.Binlog.Protocol;
using Dm.Binlog.Replication;
using Dm.TestKit;
using MySqlConnector;

namespace Dm.Binlog.Tests;

/// <summary>The replication client against a real MariaDB 10.11: start points, resume, rotation, auth, heartbeat, cancel.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class ReplicationClientTests(MariaDbFixture fixture)
{
    private MariaDbServer Server => fixture.Server;

    private async Task<string> CreateTableAsync(string table)
    {
        await Server.ExecuteAsync("CREATE DATABASE IF NOT EXISTS dm_binlog_test");
        await Server.ExecuteAsync($"DROP TABLE IF EXISTS dm_binlog_test.{table}");
        await Server.ExecuteAsync($"CREATE TABLE dm_binlog_test.{table} (id INT PRIMARY KEY, v VARCHAR(20))");
        return $"dm_binlog_test.{table}";
    }

    private static IEnumerable<long> InsertedIds(BinlogEvent ev, string table) =>
        ev is RowsEvent { Kind: RowsEventKind.Write } rows && rows.Table?.Table == table
            ? rows.Rows.Select(r => (long)r.After!.GetValue(0)!)
            : [];

    [Fact]
    public async Task StartsByMariaDbGtidAndTracksTheGtidPosition()
    {
        var table = await CreateTableAsync("gtid_start");
        var before = MariaDbGtidList.Parse((string)(await Server.ScalarAsync("SELECT @@gtid_binlog_pos"))!);
        for (var i = 1; i <= 5; i++) await Server.ExecuteAsync($"INSERT INTO {table} VALUES ({i}, 'g{i}')");
        var after = MariaDbGtidList.Parse((string)(await Server.ScalarAsync("SELECT @@gtid_binlog_pos"))!);

        var client = new BinlogClient(BinlogReading.Options(Server) with { StartGtid = before });
        var ids = new List<long>();
        var gtids = new List<MariaDbGtid>();
        await foreach (var ev in client.ReadEventsAsync())
        {
            ids.AddRange(InsertedIds(ev, "gtid_start"));
            if (ev is MariaDbGtidEvent g) gtids.Add(g.Gtid);
        }
        Assert.Equal([1L, 2, 3, 4, 5], ids);
        Assert.Equal(5, gtids.Count);
        Assert.All(gtids, g => Assert.False(before.Contains(g)));
        Assert.Equal(after.ToString(), client.ExecutedGtid?.ToString());
        Assert.False(client.InTransaction);
    }

    [Fact]
    public async Task ResumesAfterDroppedConnectionsAcrossRotationsWithoutLossOrRepeat()
    {
        const int count = 60;
        var table = await CreateTableAsync("resume");
        var start = await BinlogReading.CurrentPositionAsync(Server);
        // Multi-row transactions and single statements, with a rotation every 10 rows.
        for (var i = 1; i <= count; i += 2)
        {
            await using var connection = await Server.OpenAsync();
            await using var tx = await connection.BeginTransactionAsync();
            await using (var command = new MySqlCommand($"INSERT INTO {table} VALUES ({i}, 'a')", connection, tx)) await command.ExecuteNonQueryAsync();
            await using (var command = new MySqlCommand($"INSERT INTO {table} VALUES ({i + 1}, 'b')", connection, tx)) await command.ExecuteNonQueryAsync();
            await tx.CommitAsync();
            if ((i + 1) % 10 == 0) await Server.ExecuteAsync("FLUSH BINARY LOGS");
        }

        var ids = new List<long>();
        var positions = new List<(string File, long Start, long Next)>();
        var options = BinlogReading.Options(Server) with { StartPosition = start, StopAtEnd = false };
        var client = new BinlogClient(options);
        var drops = 0;
        var eventsSinceDrop = 0;
        var rotations = 0;
        var lastFile = start.FileName;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (ids.Count < count)
        {
            try
            {
                await foreach (var ev in client.ReadEventsAsync(timeout.Token))
                {
                    if (ev is RotateEvent { Header.IsArtificial: false }) rotations++;
                    // A ROTATE sits in the file it ends; its resume position names the next one.
                    var file = ev is RotateEvent ? lastFile : ev.ResumePosition.FileName;
                    lastFile = ev.ResumePosition.FileName;
                    if (!ev.Header.IsArtificial && ev.Header.NextPosition != 0 && ev is not FormatDescriptionEvent)
                        positions.Add((file, ev.Header.NextPosition - ev.Header.EventSize, ev.Header.NextPosition));
                    ids.AddRange(InsertedIds(ev, "resume"));
                    if (ids.Count >= count) break;
                    if (++eventsSinceDrop == 7 + drops * 3 && drops < 8)
                    {
                        eventsSinceDrop = 0;
                        drops++;
                        if (drops % 2 == 0 && !client.InTransaction)
                        {
                            // A fresh client from the saved position (as after a process restart).
                            client = new BinlogClient(options with { StartPosition = client.Position });
                            break;
                        }
                        // Kill the connection on the server; events it had already sent are lost with it.
                        // The same client reconnects and resumes (even inside a transaction: it keeps the table maps).
                        await Server.ExecuteAsync($"KILL {client.ConnectionId}");
                        break;
                    }
                }
            }
            catch (Exception e) when (e is EndOfStreamException or IOException or ServerErrorException)
            {
                eventsSinceDrop = 0;
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"timed out at {client.Position} after {drops} drops with ids {string.Join(",", ids)}; last events {string.Join(" ", positions.TakeLast(5))}");
            }
        }
        Assert.True(drops >= 6, $"only {drops} drops happened");
        Assert.True(rotations >= 5, $"only {rotations} rotations seen");
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), ids);
        // Every event starts where the previous one (in the same file) ended: nothing skipped or repeated.
        for (var i = 1; i < positions.Count; i++)
            if (positions[i].File == positions[i - 1].File)
                Assert.True(positions[i].Start == positions[i - 1].Next, $"gap or repeat at {positions[i].File}:{positions[i].Start} after {positions[i - 1].Next}");
    }

    [Fact]
    public async Task FileReaderDecodesTheSameEventsAsTheNetwork()
    {
        var table = await CreateTableAsync("file_read");
        await Server.ExecuteAsync("FLUSH BINARY LOGS");
        var start = await BinlogReading.CurrentPositionAsync(Server);
        for (var i = 1; i <= 20; i++) await Server.ExecuteAsync($"INSERT INTO {table} VALUES ({i}, REPEAT('x', {i}))");
        await Server.ExecuteAsync($"UPDATE {table} SET v = 'updated'");
        await Server.ExecuteAsync("FLUSH BINARY LOGS");

        var network = (await BinlogReading.ReadToEndAsync(Server, start with { Position = 4 }))
            .Where(e => !e.Header.IsArtificial && e.Header.NextPosition != 0).ToList();
        network = network.Take(network.FindIndex(e => e is RotateEvent) + 1).ToList();
        var file = new List<BinlogEvent>();
        await foreach (var ev in new BinlogFileReader(Path.Combine(Server.BinlogDirectory, start.FileName)).ReadEventsAsync()) file.Add(ev);

        Assert.Equal(network.Select(e => (e.EventType, e.Header.NextPosition)), file.Select(e => (e.EventType, e.Header.NextPosition)));
        Assert.Equal(network.Select(e => e.ResumePosition), file.Select(e => e.ResumePosition));
        var fromFile = file.OfType<RowsEvent>().Where(r => r.Table?.Table == "file_read").SelectMany(r => r.Rows)
            .Select(r => r.After!.ToArray()).Select(v => $"{v[0]}:{v[1]}").ToList();
        var fromNetwork = network.OfType<RowsEvent>().Where(r => r.Table?.Table == "file_read").SelectMany(r => r.Rows)
            .Select(r => r.After!.ToArray()).Select(v => $"{v[0]}:{v[1]}").ToList();
        Assert.Equal(40, fromFile.Count);
        Assert.Equal(fromNetwork, fromFile);
        Assert.IsType<RotateEvent>(file[^1]);

        // Starting in the middle of the file still learns the checksum from the FORMAT_DESCRIPTION at 4.
        var middle = file[file.Count / 2].ResumePosition.Position;
        var tail = new List<BinlogEvent>();
        await foreach (var ev in new BinlogFileReader(Path.Combine(Server.BinlogDirectory, start.FileName)).ReadEventsAsync(middle)) tail.Add(ev);
        Assert.Equal(file.Skip(file.Count / 2 + 1).Select(e => e.ResumePosition), tail.Select(e => e.ResumePosition));
    }

    [Fact]
    public async Task FileReaderEventsStayValidAfterLaterChunksAreRead()
    {
        // More than one 1 MiB read chunk of rows, decoded only after the whole file was read.
        await Server.ExecuteAsync("SET GLOBAL binlog_row_metadata = 'FULL'");
        var table = await CreateTableAsync("file_chunks");
        await Server.ExecuteAsync($"ALTER TABLE {table} MODIFY v MEDIUMTEXT");
        await Server.ExecuteAsync("FLUSH BINARY LOGS");
        var start = await BinlogReading.CurrentPositionAsync(Server);
        for (var i = 1; i <= 30; i++) await Server.ExecuteAsync($"INSERT INTO {table} VALUES ({i}, REPEAT(CHAR(64 + {i % 26}), 100000))");
        await Server.ExecuteAsync("FLUSH BINARY LOGS");
        var events = new List<BinlogEvent>();
        await foreach (var ev in new BinlogFileReader(Path.Combine(Server.BinlogDirectory, start.FileName)).ReadEventsAsync()) events.Add(ev);
        var values = events.OfType<RowsEvent>().Where(r => r.Table?.Table == "file_chunks").SelectMany(r => r.Rows).Select(r => r.After!.ToArray()).ToList();
        Assert.Equal(30, values.Count);
        for (var i = 1; i <= 30; i++)
        {
            Assert.Equal((long)i, values[i - 1][0]);
            Assert.True(new string((char)(64 + i % 26), 100000).Equals(values[i - 1][1]), $"row {i} holds other bytes");
        }
    }

    [Fact]
    public async Task AuthenticatesWithEd25519AndNativePassword()
    {
        if (await Server.ScalarAsync("SELECT COUNT(*) FROM information_schema.PLUGINS WHERE PLUGIN_NAME = 'ed25519'") is long and 0)
            await Server.ExecuteAsync("INSTALL SONAME 'auth_ed25519'");
        await Server.ExecuteAsync("DROP USER IF EXISTS 'repl_ed'@'%', 'repl_native'@'%'");
        await Server.ExecuteAsync("CREATE USER 'repl_ed'@'%' IDENTIFIED VIA ed25519 USING PASSWORD('s3cret-ed')");
        await Server.ExecuteAsync("CREATE USER 'repl_native'@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('s3cret-native')");
        await Server.ExecuteAsync("GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'repl_ed'@'%', 'repl_native'@'%'");
        var start = await BinlogReading.CurrentPositionAsync(Server);
        foreach (var (user, password) in new[] { ("repl_ed", "s3cret-ed"), ("repl_native", "s3cret-native") })
        {
            var client = new BinlogClient(BinlogReading.Options(Server) with { User = user, Password = password, StartPosition = start });
            var events = new List<BinlogEvent>();
            await foreach (var ev in client.ReadEventsAsync()) events.Add(ev);
            Assert.Contains(events, e => e is FormatDescriptionEvent);
            var wrong = new BinlogClient(BinlogReading.Options(Server) with { User = user, Password = "wrong", StartPosition = start });
            var error = await Assert.ThrowsAsync<ServerErrorException>(async () => { await foreach (var _ in wrong.ReadEventsAsync()) { } });
            Assert.Equal(1045, error.ErrorCode);
        }
    }

    [Fact]
    public async Task SendsHeartbeatsWhenIdleAndStopsCleanlyOnCancel()
    {
        var start = await BinlogReading.CurrentPositionAsync(Server);
        var client = new BinlogClient(BinlogReading.Options(Server) with
        {
            StartPosition = start, StopAtEnd = false, HeartbeatPeriod = TimeSpan.FromMilliseconds(200),
        });
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var heartbeats = 0;
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var ev in client.ReadEventsAsync(cancel.Token))
            {
                if (ev is HeartbeatEvent hb)
                {
                    Assert.Equal(start.FileName, hb.LogFileName);
                    if (++heartbeats == 3) cancel.Cancel();
                }
            }
        });
        Assert.Equal(3, heartbeats);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
        Assert.Equal(start.FileName, client.Position.FileName);
        Assert.True(client.Position.Position >= start.Position);
    }

    [Fact]
    public async Task StatementEventsCarryTheirSessionState()
    {
        await Server.ExecuteAsync("CREATE DATABASE IF NOT EXISTS dm_binlog_test");
        await Server.ExecuteAsync("DROP TABLE IF EXISTS dm_binlog_test.stmt");
        await Server.ExecuteAsync("CREATE TABLE dm_binlog_test.stmt (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20), r DOUBLE)");
        var start = await BinlogReading.CurrentPositionAsync(Server);
        await using (var connection = await Server.OpenAsync("dm_binlog_test"))
        {
            foreach (var sql in new[]
            {
                "SET SESSION binlog_format = 'STATEMENT', SESSION sql_mode = 'ANSI_QUOTES', @who = 'übung'",
                "INSERT INTO stmt (v, r) VALUES (@who, RAND())",
            })
            {
                await using var command = new MySqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }
        var events = await BinlogReading.ReadToEndAsync(Server, start);
        var userVar = Assert.Single(events.OfType<UserVarEvent>());
        Assert.Equal("who", userVar.Name);
        Assert.Equal("übung", System.Text.Encoding.UTF8.GetString(userVar.Value));
        Assert.Single(events.OfType<RandEvent>());
        var insertId = Assert.Single(events.OfType<IntVarEvent>());
        Assert.Equal(2, insertId.VariableType); // INSERT_ID
        Assert.Equal(1UL, insertId.Value);
        var insert = events.OfType<QueryEvent>().Single(q => q.Query.StartsWith("INSERT INTO stmt", StringComparison.Ordinal));
        Assert.Equal("dm_binlog_test", insert.DefaultDatabase);
        Assert.Equal(4UL, insert.SqlMode & 4); // MODE_ANSI_QUOTES
        Assert.Equal((ushort)45, insert.ClientCharset); // utf8mb4_general_ci from the handshake
    }

    [Fact]
    public void UnknownEventTypesAreRawEvents()
    {
        var bytes = EventBytes.Build((BinlogEventType)200, [1, 2, 3], checksum: true);
        var ev = Assert.IsType<RawEvent>(new BinlogEventDecoder { Checksum = ChecksumAlgorithm.Crc32 }.Decode(bytes));
        Assert.Equal((BinlogEventType)200, ev.EventType);
        Assert.Equal([1, 2, 3], ev.Body.ToArray());
    }

    [Fact]
    public async Task ChecksumsAreVerifiedOnTheWire()
    {
        Assert.Equal("CRC32", await Server.ScalarAsync("SELECT @@global.binlog_checksum"));
        var start = await BinlogReading.CurrentPositionAsync(Server);
        var table = await CreateTableAsync("checksum");
        await Server.ExecuteAsync($"INSERT INTO {table} VALUES (1, 'c')");
        var events = await BinlogReading.ReadToEndAsync(Server, start);
        var fde = events.OfType<FormatDescriptionEvent>().First();
        Assert.Equal(ChecksumAlgorithm.Crc32, fde.ChecksumAlgorithm);
        Assert.Contains(events, e => e is RowsEvent r && r.Table?.Table == "checksum");
    }
}
