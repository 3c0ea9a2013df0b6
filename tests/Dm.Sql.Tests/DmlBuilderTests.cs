using Dm.Sql.Ast;
using Dm.Sql.Dml;
using Dm.Sql.Tracking;
using Dm.TestKit;
using MySqlConnector;

namespace Dm.Sql.Tests;

/// <summary>DML built from tracked tables, executed with parameters on a real MariaDB, checked by reading the rows back.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class DmlBuilderTests(MariaDbFixture fixture)
{
    private async Task<(MySqlConnection Connection, TableInfo Table)> CreateAsync(string schema, string createSql)
    {
        var connection = await fixture.Server.OpenAsync();
        foreach (var sql in new[] { $"DROP DATABASE IF EXISTS `{schema}`", $"CREATE DATABASE `{schema}`", $"USE `{schema}`", createSql })
        {
            await using var command = new MySqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
        var tracker = new SchemaTracker();
        var name = ((CreateTableStatement)Parsing.SqlParser.Parse(createSql)).Table.Name;
        tracker.SetTable(schema, await ServerSchema.ShowCreateTableAsync(connection, schema, name));
        return (connection, tracker.GetTable(schema, name)!);
    }

    /// <summary>Runs a built statement with its values as the driver's parameters.</summary>
    internal static async Task<int> ExecuteAsync(MySqlConnection connection, DmlStatement statement)
    {
        await using var command = new MySqlCommand(statement.Sql, connection);
        foreach (var value in statement.Parameters) command.Parameters.Add(new MySqlParameter { Value = value ?? DBNull.Value });
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> RowsAsync(MySqlConnection connection, string sql)
    {
        var rows = new List<string>();
        await using var command = new MySqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return rows;
    }

    [Fact]
    public async Task PrimaryKeyTableInsertUpdateDeleteUpsertReplace()
    {
        var (connection, table) = await CreateAsync("dml_pk",
            "CREATE TABLE t (id INT NOT NULL, name VARCHAR(20), doubled INT AS (id * 2) VIRTUAL, note TEXT, PRIMARY KEY (id))");
        await using var _ = connection;
        Assert.Equal(["id"], DmlBuilder.KeyColumns(table, out var byAll).Select(c => c.Name));
        Assert.False(byAll);

        var insert = DmlBuilder.Insert(table, [[1, "one", 2, "a'b\\c"], [2, "two", 4, null], [3, "three", 6, "x"]]);
        Assert.Equal("INSERT INTO `dml_pk`.`t` (`id`,`name`,`note`) VALUES (?,?,?),(?,?,?),(?,?,?)", insert.Sql);
        Assert.Equal(3, await ExecuteAsync(connection, insert));

        var update = DmlBuilder.Update(table, [2, "two", 4, null], [20, "twenty", 40, "n"]);
        Assert.Equal("UPDATE `dml_pk`.`t` SET `id`=?,`name`=?,`note`=? WHERE `id`=?", update.Sql);
        Assert.Equal(1, await ExecuteAsync(connection, update));

        var delete = Assert.Single(DmlBuilder.Delete(table, [[1, "one", 2, "a'b\\c"], [3, "three", 6, "x"]]));
        Assert.Equal("DELETE FROM `dml_pk`.`t` WHERE `id` IN (?,?)", delete.Sql);
        Assert.Equal(2, await ExecuteAsync(connection, delete));

        var upsert = DmlBuilder.Insert(table, [[20, "upserted", 40, "u"], [5, "five", 10, null]], InsertMode.Upsert);
        Assert.EndsWith("ON DUPLICATE KEY UPDATE `id`=VALUES(`id`),`name`=VALUES(`name`),`note`=VALUES(`note`)", upsert.Sql);
        await ExecuteAsync(connection, upsert);
        await ExecuteAsync(connection, DmlBuilder.Insert(table, [[5, "replaced", 10, "r"]], InsertMode.Replace));
        await ExecuteAsync(connection, DmlBuilder.Insert(table, [[5, "ignored", 10, "i"]], InsertMode.InsertIgnore));

        Assert.Equal(["5|replaced|10|r", "20|upserted|40|u"], await RowsAsync(connection, "SELECT id, name, doubled, note FROM dml_pk.t ORDER BY id"));
    }

    [Fact]
    public async Task UniqueNotNullKeyIsUsedWhenThereIsNoPrimaryKey()
    {
        var (connection, table) = await CreateAsync("dml_uk",
            "CREATE TABLE t (a INT, b INT NOT NULL, c INT NOT NULL, v VARCHAR(10), UNIQUE KEY nullable_uk (a), UNIQUE KEY uk (b, c))");
        await using var _ = connection;
        Assert.Equal(["b", "c"], DmlBuilder.KeyColumns(table, out var byAllColumns).Select(c => c.Name));
        Assert.False(byAllColumns);
        await ExecuteAsync(connection, DmlBuilder.Insert(table, [[null, 1, 1, "x"], [null, 1, 2, "y"], [7, 2, 1, "z"]]));
        var update = DmlBuilder.Update(table, [null, 1, 2, "y"], [null, 1, 2, "Y"]);
        Assert.Equal("UPDATE `dml_uk`.`t` SET `a`=?,`b`=?,`c`=?,`v`=? WHERE `b`=? AND `c`=?", update.Sql);
        Assert.Equal(1, await ExecuteAsync(connection, update));
        var delete = Assert.Single(DmlBuilder.Delete(table, [[null, 1, 1, "x"], [7, 2, 1, "z"]]));
        Assert.Equal("DELETE FROM `dml_uk`.`t` WHERE (`b`,`c`) IN ((?,?),(?,?))", delete.Sql);
        Assert.Equal(2, await ExecuteAsync(connection, delete));
        Assert.Equal(["NULL|1|2|Y"], await RowsAsync(connection, "SELECT a, b, c, v FROM dml_uk.t"));
    }

    [Fact]
    public async Task TableWithoutKeyMatchesAllColumnsOneRowAtATime()
    {
        var (connection, table) = await CreateAsync("dml_nokey", "CREATE TABLE t (a INT, b VARCHAR(10), d DATETIME(3))");
        await using var _ = connection;
        Assert.Null(table.HandleKey);
        var when = new DateTime(2024, 5, 6, 7, 8, 9, 123);
        await ExecuteAsync(connection, DmlBuilder.Insert(table, [[1, null, when], [1, null, when], [2, "b", null]]));

        var update = DmlBuilder.Update(table, [1, null, when], [1, "one", when]);
        Assert.Equal("UPDATE `dml_nokey`.`t` SET `a`=?,`b`=?,`d`=? WHERE `a`=? AND `b` IS NULL AND `d`=? LIMIT 1", update.Sql);
        Assert.Equal(1, await ExecuteAsync(connection, update));

        var deletes = DmlBuilder.Delete(table, [[1, null, when], [2, "b", null]]);
        Assert.Equal(2, deletes.Count);
        Assert.Equal("DELETE FROM `dml_nokey`.`t` WHERE `a`=? AND `b` IS NULL AND `d`=? LIMIT 1", deletes[0].Sql);
        foreach (var delete in deletes) Assert.Equal(1, await ExecuteAsync(connection, delete));
        Assert.Equal(["1|one"], await RowsAsync(connection, "SELECT a, b FROM dml_nokey.t"));
    }

    [Fact]
    public async Task TableWithoutKeyDeletesIdenticalRowsInOneStatementAsManyAsWereDeleted()
    {
        var (connection, table) = await CreateAsync("dml_nokey_dup", "CREATE TABLE t (a INT, b VARBINARY(4), c VARCHAR(5))");
        await using var _ = connection;
        byte[] bytes = [1, 2];
        await ExecuteAsync(connection, DmlBuilder.Insert(table, [[1, bytes, null], [1, bytes, null], [1, bytes, null], [1, bytes, "A"], [1, bytes, "a"], [2, null, null]]));

        // Three rows with equal values (the byte arrays are different instances) of which two are deleted, and two text
        // values equal only under the collation: those stay separate statements, each deleting its own copy.
        var deletes = DmlBuilder.Delete(table, [[1, new byte[] { 1, 2 }, null], [1, bytes, "a"], [1, new byte[] { 1, 2 }, null], [1, bytes, "A"]]);
        Assert.Equal(3, deletes.Count);
        Assert.Equal("DELETE FROM `dml_nokey_dup`.`t` WHERE `a`=? AND `b`=? AND `c` IS NULL LIMIT 2", deletes[0].Sql);
        Assert.EndsWith("LIMIT 1", deletes[1].Sql);
        var affected = new List<int>();
        foreach (var delete in deletes) affected.Add(await ExecuteAsync(connection, delete));
        Assert.Equal([2, 1, 1], affected);
        Assert.Equal(["1|NULL", "2|NULL"], await RowsAsync(connection, "SELECT a, IFNULL(c, 'NULL') FROM dml_nokey_dup.t ORDER BY a"));
    }

    [Fact]
    public async Task CompositePrimaryKeyAndRoutedTarget()
    {
        var (connection, table) = await CreateAsync("dml_route", "CREATE TABLE src (k1 INT NOT NULL, k2 VARCHAR(5) NOT NULL, v INT, PRIMARY KEY (k1, k2))");
        await using var _ = connection;
        await using (var create = new MySqlCommand("CREATE TABLE dml_route.`dst``x` LIKE dml_route.src", connection)) await create.ExecuteNonQueryAsync();
        var target = new TableName("dml_route", "dst`x");
        var insert = DmlBuilder.Insert(table, [[1, "a", 10], [1, "b", 11], [2, "a", 12]], target: target);
        Assert.StartsWith("INSERT INTO `dml_route`.`dst``x` (`k1`,`k2`,`v`)", insert.Sql);
        await ExecuteAsync(connection, insert);
        var delete = Assert.Single(DmlBuilder.Delete(table, [[1, "b", 11]], target));
        Assert.Equal("DELETE FROM `dml_route`.`dst``x` WHERE (`k1`,`k2`) IN ((?,?))", delete.Sql);
        await ExecuteAsync(connection, delete);
        Assert.Equal(["1|a|10", "2|a|12"], await RowsAsync(connection, "SELECT * FROM dml_route.`dst``x` ORDER BY k1, k2"));
    }

    [Fact]
    public void RowOfWrongWidthIsRejected()
    {
        var tracker = new SchemaTracker();
        tracker.Execute("CREATE TABLE t (a INT PRIMARY KEY, b INT)", "db");
        var table = tracker.GetTable("db", "t")!;
        Assert.Throws<ArgumentException>(() => DmlBuilder.Insert(table, [[1]]));
        Assert.Throws<ArgumentException>(() => DmlBuilder.Delete(table, []));
    }
}
