using System.Globalization;
using Dm.Binlog.Events;
using Dm.Binlog.Rows;
using Dm.TestKit;
using MySqlConnector;

namespace Dm.Binlog.Tests;

/// <summary>
/// Every column type inserted, updated and deleted on a real MariaDB 10.11; every value decoded from
/// the binlog must equal what SELECT shows for that row at that moment.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class RowsDecodingTests(MariaDbFixture fixture)
{
    private MariaDbServer Server => fixture.Server;

    [Fact]
    public async Task FullRowImageDecodesEveryTypeAsSelectShowsIt()
    {
        var result = await RunScenarioAsync("rows_full", "binlog_row_image = 'FULL'");
        AssertMatches(result, fullImage: true);
    }

    [Fact]
    public async Task MinimalRowImageDecodesThePresentColumns()
    {
        var result = await RunScenarioAsync("rows_minimal", "binlog_row_image = 'MINIMAL'");
        AssertMatches(result, fullImage: false);
        // MINIMAL: updates and deletes identify the row by primary key only.
        var update = result.Changes.First(c => c.Kind == RowsEventKind.Update);
        Assert.True(update.Change.Before!.IsPresent(0));
        Assert.False(update.Change.Before.IsPresent(1));
        Assert.True(update.Change.After!.IsPresent(Index("c_varchar")));
        Assert.False(update.Change.After.IsPresent(Index("c_tiny")));
    }

    [Fact]
    public async Task NoBlobRowImageDecodesThePresentColumns()
    {
        var result = await RunScenarioAsync("rows_noblob", "binlog_row_image = 'NOBLOB'");
        AssertMatches(result, fullImage: false);
    }

    [Fact]
    public async Task CompressedBinlogDecodesTheSameValues()
    {
        await Server.ExecuteAsync("SET GLOBAL log_bin_compress = ON, GLOBAL log_bin_compress_min_len = 10");
        try
        {
            var result = await RunScenarioAsync("rows_compressed", "binlog_row_image = 'FULL'");
            Assert.Contains(result.Events, e => e.EventType is BinlogEventType.MariaDbWriteRowsCompressed or BinlogEventType.MariaDbWriteRowsCompressedV1);
            Assert.Contains(result.Events, e => e.EventType is BinlogEventType.MariaDbUpdateRowsCompressed or BinlogEventType.MariaDbUpdateRowsCompressedV1);
            Assert.Contains(result.Events, e => e.EventType == BinlogEventType.MariaDbQueryCompressed);
            Assert.Contains(result.Events, e => e is QueryEvent q && q.Query.StartsWith("CREATE TABLE rows_compressed", StringComparison.Ordinal));
            AssertMatches(result, fullImage: true);
        }
        finally
        {
            await Server.ExecuteAsync("SET GLOBAL log_bin_compress = OFF");
        }
    }

    [Fact]
    public async Task TableMapCarriesFullMetadata()
    {
        var result = await RunScenarioAsync("rows_meta", "binlog_row_image = 'FULL'");
        var map = result.Events.OfType<TableMapEvent>().First(t => t.Table == "rows_meta");
        Assert.Equal("dm_binlog_test", map.Database);
        Assert.Equal(["id", .. AllColumnTypesTable.Columns.Select(c => c.Name)], map.Columns.Select(c => c.Name));
        Assert.True(map.Columns[0].IsPrimaryKey);
        Assert.False(map.Columns[0].IsNullable);
        Assert.True(map.Columns[Index("c_ubig")].IsUnsigned);
        Assert.False(map.Columns[Index("c_big")].IsUnsigned);
        Assert.Equal(["a", "bb", "ccc"], map.Columns[Index("c_enum")].EnumValues!);
        Assert.Equal(["x", "y", "z"], map.Columns[Index("c_set")].SetValues!);
        Assert.Equal("latin1", CharsetEncodings.CharsetOf(map.Columns[Index("c_latin1")].Collation!.Value));
        Assert.Equal(CharsetEncodings.BinaryCollation, map.Columns[Index("c_blob")].Collation);
    }

    private static int Index(string column) => 1 + Array.FindIndex(AllColumnTypesTable.Columns, c => c.Name == column);

    internal sealed record Scenario(
        List<BinlogEvent> Events,
        List<(RowsEventKind Kind, RowChange Change)> Changes,
        Dictionary<long, string?[]> AfterInsert,
        Dictionary<long, string?[]> AfterUpdate);

    private async Task<Scenario> RunScenarioAsync(string table, string sessionSettings)
    {
        await Server.ExecuteAsync("SET GLOBAL binlog_row_metadata = 'FULL'");
        await Server.ExecuteAsync("CREATE DATABASE IF NOT EXISTS dm_binlog_test");
        await using var connection = await Server.OpenAsync("dm_binlog_test");
        await Exec(connection, $"SET SESSION sql_mode = '', SESSION time_zone = '+00:00', SESSION {sessionSettings}");
        await Exec(connection, $"DROP TABLE IF EXISTS {table}");
        var start = await BinlogReading.CurrentPositionAsync(Server);
        await Exec(connection, AllColumnTypesTable.CreateTable(table));
        for (var i = 0; i < AllColumnTypesTable.Rows.Length; i++)
            await Exec(connection, $"INSERT INTO {table} VALUES ({i + 1}, {AllColumnTypesTable.Rows[i]})");
        var afterInsert = await SnapshotAsync(connection, table);
        await Exec(connection, string.Format(CultureInfo.InvariantCulture, AllColumnTypesTable.Update, table));
        var afterUpdate = await SnapshotAsync(connection, table);
        await Exec(connection, $"DELETE FROM {table}");

        var events = await BinlogReading.ReadToEndAsync(Server, start);
        var changes = events.OfType<RowsEvent>().Where(r => r.Table?.Table == table)
            .SelectMany(r => r.Rows.Select(change => (r.Kind, change))).ToList();
        Assert.Equal(AllColumnTypesTable.Rows.Length * 3, changes.Count);
        return new Scenario(events, changes, afterInsert, afterUpdate);
    }

    private static void AssertMatches(Scenario scenario, bool fullImage)
    {
        var mismatches = new List<string>();
        foreach (var (kind, change) in scenario.Changes)
        {
            switch (kind)
            {
                case RowsEventKind.Write:
                    Compare("insert after", change.After!, IdOf(change.After!), scenario.AfterInsert, fullImage, mismatches);
                    break;
                case RowsEventKind.Update:
                    // MINIMAL images name the row by primary key in the before image only.
                    Compare("update before", change.Before!, IdOf(change.Before!), scenario.AfterInsert, fullImage, mismatches);
                    Compare("update after", change.After!, IdOf(change.Before!), scenario.AfterUpdate, fullImage, mismatches);
                    break;
                case RowsEventKind.Delete:
                    Compare("delete before", change.Before!, IdOf(change.Before!), scenario.AfterUpdate, fullImage, mismatches);
                    break;
            }
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Take(40)));
        // The allocation-free path decodes exactly the same values.
        var fast = FastPathAgreement.Check(scenario.Events.OfType<RowsEvent>().Where(r => r.Table != null));
        Assert.True(fast.Count == 0, string.Join("\n", fast.Take(40)));
    }

    private static long IdOf(RowImage image)
    {
        Assert.True(image.IsPresent(0), "primary key missing from the image");
        return (long)image.GetValue(0)!;
    }

    private static void Compare(string what, RowImage image, long id, Dictionary<long, string?[]> expected, bool fullImage, List<string> mismatches)
    {
        var row = expected[id];
        var compared = 0;
        for (var i = 0; i < image.ColumnCount; i++)
        {
            if (!image.IsPresent(i))
            {
                if (fullImage) mismatches.Add($"{what} id {id}: column {image.Column(i)} absent from a FULL image");
                continue;
            }
            string? actual;
            try
            {
                actual = ValueText.Of(image.Column(i), image.GetValue(i));
            }
            catch (Exception e)
            {
                mismatches.Add($"{what} id {id}: column {image.Column(i)} failed to decode: {e.Message}");
                continue;
            }
            compared++;
            if (actual != row[i])
                mismatches.Add($"{what} id {id}: column {image.Column(i)}: decoded {Short(actual)}, SELECT shows {Short(row[i])}");
        }
        if (compared == 0) mismatches.Add($"{what} id {id}: no column in the image");
        if (fullImage && compared != AllColumnTypesTable.Columns.Length + 1) mismatches.Add($"{what} id {id}: only {compared} columns compared");
    }

    private static string Short(string? text) => text == null ? "NULL" : text.Length > 80 ? $"'{text[..80]}…' ({text.Length} chars)" : $"'{text}'";

    private static async Task<Dictionary<long, string?[]>> SnapshotAsync(MySqlConnection connection, string table)
    {
        await using var command = new MySqlCommand($"SELECT id, {AllColumnTypesTable.SelectExpressions} FROM {table} ORDER BY id", connection);
        await command.PrepareAsync(); // binary protocol: FLOAT/DOUBLE arrive exactly
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<long, string?[]>();
        while (await reader.ReadAsync())
        {
            var values = new string?[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                var value = reader.GetValue(i);
                values[i] = value switch
                {
                    DBNull => null,
                    float f => f.ToString("R", CultureInfo.InvariantCulture),
                    double d => d.ToString("R", CultureInfo.InvariantCulture),
                    byte[] b => System.Text.Encoding.UTF8.GetString(b),
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    _ => value.ToString(),
                };
            }
            rows[Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture)] = values;
        }
        return rows;
    }

    private static async Task Exec(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
