using System.Globalization;
using Dm.Binlog.Events;
using Dm.TestKit;
using MySqlConnector;

namespace Dm.Binlog.Tests;

/// <summary>Tables beyond the common case: more than 64 columns, and MariaDB's pre-5.6 temporal formats.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class OtherTableShapesTests(MariaDbFixture fixture)
{
    private MariaDbServer Server => fixture.Server;

    [Fact]
    public async Task TableWithMoreThan64ColumnsAndNulls()
    {
        const int columns = 130;
        await Server.ExecuteAsync("CREATE DATABASE IF NOT EXISTS dm_binlog_test");
        await Server.ExecuteAsync("DROP TABLE IF EXISTS dm_binlog_test.wide");
        var start = await BinlogReading.CurrentPositionAsync(Server);
        await Server.ExecuteAsync($"CREATE TABLE dm_binlog_test.wide (id INT PRIMARY KEY, {string.Join(", ", Enumerable.Range(1, columns).Select(i => $"c{i} INT"))})");
        // Every third column NULL, the others their index times the row id.
        for (var row = 1; row <= 3; row++)
        {
            var values = Enumerable.Range(1, columns).Select(i => i % 3 == 0 ? "NULL" : (i * row).ToString(CultureInfo.InvariantCulture));
            await Server.ExecuteAsync($"INSERT INTO dm_binlog_test.wide VALUES ({row}, {string.Join(", ", values)})");
        }
        var events = await BinlogReading.ReadToEndAsync(Server, start);
        var images = events.OfType<RowsEvent>().Where(r => r.Table?.Table == "wide").SelectMany(r => r.Rows).Select(c => c.After!).ToList();
        Assert.Equal(3, images.Count);
        foreach (var image in images)
        {
            var row = (long)image.GetValue(0)!;
            Assert.Equal(columns + 1, image.ColumnCount);
            for (var i = 1; i <= columns; i++)
                Assert.Equal(i % 3 == 0 ? null : (object)(long)(i * row), image.GetValue(i));
        }
        Assert.Empty(FastPathAgreement.Check(events.OfType<RowsEvent>().Where(r => r.Table?.Table == "wide")));
    }

    [Fact]
    public async Task OldTemporalFormats()
    {
        await Server.ExecuteAsync("CREATE DATABASE IF NOT EXISTS dm_binlog_test");
        await Server.ExecuteAsync("DROP TABLE IF EXISTS dm_binlog_test.old_temporal");
        await Server.ExecuteAsync("SET GLOBAL mysql56_temporal_format = OFF");
        try
        {
            await Server.ExecuteAsync("CREATE TABLE dm_binlog_test.old_temporal (id INT PRIMARY KEY, t TIME, dt DATETIME, ts TIMESTAMP NULL, t3 TIME(3), dt6 DATETIME(6), ts2 TIMESTAMP(2) NULL)");
        }
        finally
        {
            await Server.ExecuteAsync("SET GLOBAL mysql56_temporal_format = ON");
        }
        var start = await BinlogReading.CurrentPositionAsync(Server);
        await using var connection = await Server.OpenAsync("dm_binlog_test");
        await using (var set = new MySqlCommand("SET time_zone = '+00:00', sql_mode = ''", connection)) await set.ExecuteNonQueryAsync();
        const string values = "(1, '-838:59:59', '1000-01-01 00:00:00', '1970-01-01 00:00:01', '-12:34:56.789', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.99')," +
                              "(2, '12:00:01', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '00:00:00.001', '2024-02-29 12:34:56.000001', '2001-01-01 00:00:00.5')";
        await using (var insert = new MySqlCommand($"INSERT INTO old_temporal VALUES {values}", connection)) await insert.ExecuteNonQueryAsync();
        var expected = new Dictionary<long, string?[]>();
        await using (var select = new MySqlCommand("SELECT id, CAST(t AS CHAR), CAST(dt AS CHAR), CAST(ts AS CHAR), CAST(t3 AS CHAR), CAST(dt6 AS CHAR), CAST(ts2 AS CHAR) FROM old_temporal", connection))
        await using (var reader = await select.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                expected[reader.GetInt32(0)] = Enumerable.Range(1, 6).Select(i => reader.IsDBNull(i) ? null : reader.GetString(i)).ToArray();

        var events = await BinlogReading.ReadToEndAsync(Server, start);
        var map = events.OfType<TableMapEvent>().First(t => t.Table == "old_temporal");
        // MariaDB does not log the precision of these columns: the reader supplies it from the schema.
        await using (var precision = new MySqlCommand("SELECT ORDINAL_POSITION - 1, DATETIME_PRECISION FROM information_schema.COLUMNS " +
                                                      "WHERE TABLE_SCHEMA = 'dm_binlog_test' AND TABLE_NAME = 'old_temporal' AND DATETIME_PRECISION IS NOT NULL", connection))
        await using (var reader = await precision.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                map.Columns[reader.GetInt32(0)].LegacyFractionalDigits = reader.GetInt32(1);
        var images = events.OfType<RowsEvent>().Where(r => r.Table?.Table == "old_temporal").SelectMany(r => r.Rows).Select(c => c.After!).ToList();
        Assert.Equal(2, images.Count);
        foreach (var image in images)
        {
            var id = (long)image.GetValue(0)!;
            var decoded = Enumerable.Range(1, 6).Select(i => ValueText.Of(map.Columns[i], image.GetValue(i))).ToArray();
            Assert.Equal(expected[id], decoded);
        }
        Assert.Empty(FastPathAgreement.Check(events.OfType<RowsEvent>().Where(r => r.Table?.Table == "old_temporal")));
    }
}
