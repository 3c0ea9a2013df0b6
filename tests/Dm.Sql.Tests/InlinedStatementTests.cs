using Dm.Sql.Ast;
using Dm.Sql.Dml;
using Dm.Sql.Tracking;
using Dm.TestKit;
using MySqlConnector;

namespace Dm.Sql.Tests;

/// <summary>
/// Statements with their values inlined as literals store exactly what the same statements with parameters store (under
/// the default sql_mode), on a real MariaDB, whether the session's sql_mode has NO_BACKSLASH_ESCAPES or not.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class InlinedStatementTests(MariaDbFixture fixture)
{
    private const string Columns =
        "(`id?` BIGINT NOT NULL PRIMARY KEY, u BIGINT UNSIGNED, i INT, f FLOAT, d DOUBLE, dec1 DECIMAL(30,10), t VARCHAR(64) CHARACTER SET utf8mb4, " +
        "l1 VARCHAR(64) CHARACTER SET latin1, b VARBINARY(64), blobby BLOB, dt DATETIME(6), tm TIME(6), y YEAR)";

    /// <summary>The sql_mode the syncer's writers set.</summary>
    private const string WriterSqlMode = "NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION";

    private static readonly object?[][] Rows =
    [
        [1L, ulong.MaxValue, int.MinValue, 3.4028235E+38f, double.Epsilon, 1234567890123456789.012345678m, "plain text", "café", new byte[] { 0, 0x27, 0x5C, 0xFF }, Array.Empty<byte>(),
            "2024-02-29 23:59:59.999999", "-838:59:59.000000", 2155],
        [2L, 0UL, -1, -0.1f, -1.7976931348623157E+308, -0.0000000001m, "it's a quote's ''doubled''", "a'b", new byte[] { 0x5C, 0x27, 0x3F }, new byte[] { 0x60, 0x3F },
            "0000-00-00 00:00:00", "00:00:00.000001", 0],
        [3L, null, null, 0f, 1E+16, 0m, "emoji 😀 ? and `tick` -- not a comment", "?", null, null, null, null, null],
        [4L, 42UL, 7, float.Epsilon, 0.1, -9999999999999999999.999999999m, "", "", new byte[] { 0x3F }, null, "1000-01-01 00:00:00", "12:34:56", 1901],
    ];

    [Theory]
    [InlineData(WriterSqlMode)]
    [InlineData(WriterSqlMode + ",NO_BACKSLASH_ESCAPES")]
    public async Task Inlined_values_store_what_parameters_store(string sqlMode)
    {
        var schema = sqlMode == WriterSqlMode ? "inline_default" : "inline_nbe";
        await using var connection = await fixture.Server.OpenAsync();
        foreach (var sql in new[] { $"DROP DATABASE IF EXISTS {schema}", $"CREATE DATABASE {schema}", $"USE {schema}",
                     $"CREATE TABLE by_parameters {Columns}", $"CREATE TABLE inlined {Columns}",
                     $"SET SESSION sql_mode = '{WriterSqlMode}'" })
            await ExecuteAsync(connection, sql);
        var tracker = new SchemaTracker();
        tracker.SetTable(schema, await ServerSchema.ShowCreateTableAsync(connection, schema, "by_parameters"));
        var table = tracker.GetTable(schema, "by_parameters")!;

        var insert = DmlBuilder.Insert(table, Rows);
        await DmlBuilderTests.ExecuteAsync(connection, insert);
        // After the parameters' insert: MySqlConnector escapes with backslashes even when the session has turned them off.
        await ExecuteAsync(connection, $"SET SESSION sql_mode = '{sqlMode}'");
        Assert.True(InlinedStatement.TryRender(insert with { Sql = insert.Sql.Replace("`by_parameters`", "`inlined`") }, out var inlined));
        Assert.DoesNotContain("?,", inlined);
        await ExecuteAsync(connection, inlined);
        var expected = await DumpAsync(connection, schema, "by_parameters");
        var actual = await DumpAsync(connection, schema, "inlined");
        for (var r = 0; r < expected.Count; r++) Assert.Equal(expected[r], actual[r]);

        // Values in WHERE clauses find the rows they came from (by key here, by every column in a keyless table below).
        var inlinedTarget = new TableName(schema, "inlined");
        foreach (var row in Rows)
        {
            var update = DmlBuilder.Update(table, row, [.. row.Take(6), "updated", .. row.Skip(7)], inlinedTarget);
            Assert.True(InlinedStatement.TryRender(update, out var sql));
            Assert.Equal(1, await ExecuteAsync(connection, sql));
        }
        var delete = Assert.Single(DmlBuilder.Delete(table, Rows, inlinedTarget));
        Assert.True(InlinedStatement.TryRender(delete, out var deleteSql));
        Assert.Equal(Rows.Length, await ExecuteAsync(connection, deleteSql));
    }

    [Fact]
    public async Task Keyless_rows_are_matched_by_every_inlined_value()
    {
        await using var connection = await fixture.Server.OpenAsync();
        foreach (var sql in new[] { "DROP DATABASE IF EXISTS inline_keyless", "CREATE DATABASE inline_keyless", "USE inline_keyless",
                     "CREATE TABLE t (f FLOAT, d DOUBLE, dec1 DECIMAL(30,10), t VARCHAR(64), b VARBINARY(16), dt DATETIME(6))",
                     $"SET SESSION sql_mode = '{WriterSqlMode}'" })
            await ExecuteAsync(connection, sql);
        var tracker = new SchemaTracker();
        tracker.SetTable("inline_keyless", await ServerSchema.ShowCreateTableAsync(connection, "inline_keyless", "t"));
        var table = tracker.GetTable("inline_keyless", "t")!;
        // A FLOAT matches by its exact value: the shortest text of 0.1f (what the driver sends) would not equal the stored value.
        object?[][] rows = [[0.1f, 0.1, 1.5m, "it's", new byte[] { 0x27 }, "2020-01-01 00:00:00.000001"], [-3.4028235E+38f, 1E+300, null, "?", null, null]];
        await DmlBuilderTests.ExecuteAsync(connection, DmlBuilder.Insert(table, rows));
        foreach (var statement in DmlBuilder.Delete(table, rows))
        {
            Assert.True(InlinedStatement.TryRender(statement, out var sql));
            Assert.Equal(1, await ExecuteAsync(connection, sql));
        }
    }

    [Fact]
    public void Values_without_a_literal_form_are_left_to_parameters()
    {
        Assert.False(InlinedStatement.TryRender(new DmlStatement("SELECT ?", [new DateTime(2020, 1, 1)]), out _));
        Assert.False(InlinedStatement.TryRender(new DmlStatement("SELECT ?", [double.NaN]), out _));
        // Over 1 KiB of hex: left to the driver's escaping, half the size on the wire.
        Assert.False(InlinedStatement.TryRender(new DmlStatement("SELECT ?", [new byte[1025]]), out _));
        // Backslashes and control characters: their meaning depends on the sql_mode, so the driver escapes them.
        Assert.False(InlinedStatement.TryRender(new DmlStatement("SELECT ?", ["a\\b"]), out _));
        Assert.False(InlinedStatement.TryRender(new DmlStatement("SELECT ?", ["line\nbreak"]), out _));
        Assert.False(InlinedStatement.TryRender(new DmlStatement("SELECT ?", ["nul\0"]), out _));
        Assert.True(InlinedStatement.TryRender(new DmlStatement("SELECT ?", ["it's"]), out var quoted));
        Assert.Equal("SELECT 'it''s'", quoted);
        Assert.True(InlinedStatement.TryRender(new DmlStatement("SELECT ?", [new string('x', 100_000)]), out _));
        Assert.True(InlinedStatement.TryRender(new DmlStatement("SELECT `a?``?`, ?", [1]), out var sql));
        Assert.Equal("SELECT `a?``?`, 1", sql);
        Assert.Throws<ArgumentException>(() => InlinedStatement.TryRender(new DmlStatement("SELECT ?, ?", [1, 2, 3]), out _));
    }

    private static async Task<int> ExecuteAsync(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every column as exact text (hex for strings and bytes, so charsets and padding show).</summary>
    private static async Task<List<string>> DumpAsync(MySqlConnection connection, string schema, string table)
    {
        var rows = new List<string>();
        await using var command = new MySqlCommand(
            $"SELECT CONCAT_WS('|', `id?`, IFNULL(u,'N'), IFNULL(i,'N'), IFNULL(HEX(CAST(f AS BINARY)),'N'), IFNULL(d,'N'), IFNULL(dec1,'N'), " +
            $"IFNULL(HEX(t),'N'), IFNULL(HEX(l1),'N'), IFNULL(HEX(b),'N'), IFNULL(HEX(blobby),'N'), IFNULL(dt,'N'), IFNULL(tm,'N'), IFNULL(y,'N')) " +
            $"FROM `{schema}`.`{table}` ORDER BY `id?`", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        Assert.Equal(Rows.Length, rows.Count);
        return rows;
    }
}
