using Dm.Core.Rules;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Tests.Sync.Fidelity;

/// <summary>
/// The binlog event filter end to end over a real binlog: one upstream script makes one change of every DM event class
/// (insert, update, delete, create/drop database, create/drop/rename/truncate table, add/drop column, create/drop index,
/// create/drop view), each on its own object so that leaving one out never breaks another; each rule must leave in the
/// target exactly the changes it lets through (Ignore, Do, sql-pattern, Ignore over Do), and an Error rule stops Sync on its
/// event with nothing after it applied.
/// </summary>
[Collection(SyncCollection.Name)]
public sealed class EventFilterTests(SyncServersFixture fx)
{
    private static readonly string[] Changes =
    [
        "insert", "update", "delete", "create table", "add column", "drop column", "create index", "drop index", "create view",
        "drop view", "rename table", "truncate table", "drop table", "create database", "drop database", "modify column", "alter table",
    ];

    private static int _schemas;

    [Theory]
    [InlineData("Ignore", "", "", "")]
    [InlineData("Ignore", "all dml", "", "-insert,update,delete")]
    [InlineData("Ignore", "insert", "", "-insert")]
    [InlineData("Ignore", "update", "", "-update")]
    [InlineData("Ignore", "delete", "", "-delete")]
    [InlineData("Ignore", "all ddl", "", "=insert,update,delete")]
    [InlineData("Ignore", "create database,drop database", "", "-create database,drop database")]
    [InlineData("Ignore", "create table,drop table", "", "-create table,drop table")]
    [InlineData("Ignore", "truncate table", "", "-truncate table")]
    [InlineData("Ignore", "rename table", "", "-rename table")]
    [InlineData("Ignore", "add column", "", "-add column")]
    [InlineData("Ignore", "drop column", "", "-drop column")]
    [InlineData("Ignore", "modify column", "", "-modify column")]
    [InlineData("Ignore", "alter table", "", "-alter table")]
    [InlineData("Ignore", "create index,drop index", "", "-create index,drop index")]
    [InlineData("Ignore", "create view,drop view", "", "-create view,drop view")]
    [InlineData("Ignore", "", @"^DROP\s+VIEW|^TRUNCATE", "-drop view,truncate table")]
    [InlineData("Do", "insert,create table,drop database", "", "=insert,create table,drop database")]
    [InlineData("Do", "all dml", "", "=insert,update,delete")]
    [InlineData("Do+Ignore", "all dml", "", "=insert,update")]
    public async Task The_target_shows_exactly_what_the_rule_lets_through(string action, string events, string sqlPatterns, string expected)
    {
        var s = $"ef{Interlocked.Increment(ref _schemas)}_{Guid.NewGuid():N}"[..12];
        var rules = new List<BinlogEventRule>();
        if (events.Length > 0 || sqlPatterns.Length > 0)
            rules.Add(Rule(s, action == "Do+Ignore" ? "Do" : action, events, sqlPatterns));
        if (action == "Do+Ignore") rules.Add(Rule(s, "Ignore", "delete", "")); // Ignore wins over Do
        await SetUpAsync(s);
        var start = await fx.MasterPositionAsync();
        await fx.Source.ExecuteAsync(Script(s));

        await fx.CatchUpAsync(fx.Unit("t_" + s, start, [s, s + "_new", s + "_old"], c => c.FilterRules = rules));

        var expectedChanges = expected.Length == 0 ? Changes
            : expected[0] == '-' ? Changes.Except(expected[1..].Split(',')).ToArray()
            : expected[1..].Split(',');
        Assert.Equal(expectedChanges.Order(), (await ObserveAsync(s)).Order());
    }

    [Theory]
    [InlineData("drop table", "insert,update,delete,create table,add column,drop column,create index,drop index,create view,drop view,rename table,truncate table")]
    [InlineData("create database", "insert,update,delete,create table,add column,drop column,create index,drop index,create view,drop view,rename table,truncate table,drop table,modify column,alter table")]
    [InlineData("delete", "insert,update")]
    public async Task An_error_rule_stops_sync_on_its_event_with_what_came_before_applied(string events, string applied)
    {
        var s = $"ef{Interlocked.Increment(ref _schemas)}_{Guid.NewGuid():N}"[..12];
        await SetUpAsync(s);
        var start = await fx.MasterPositionAsync();
        await fx.Source.ExecuteAsync(Script(s));
        var unit = fx.Unit("t_" + s, start, [s, s + "_new", s + "_old"], c => c.FilterRules = [Rule(s, "Error", events, "")]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var result = await unit.ProcessAsync(timeout.Token);
        Assert.True(result.Outcome == UnitOutcome.Failed, $"sync did not stop on the refused event: {result.Outcome}");
        Assert.Equal(36015, result.Error!.Error.Code);
        Assert.Equal(applied.Split(',').Order(), (await ObserveAsync(s)).Order());
    }

    private static BinlogEventRule Rule(string schema, string action, string events, string sqlPatterns) => new()
    {
        SchemaPattern = schema + "*",
        Events = events.Length == 0 ? [] : [.. events.Split(',')],
        SqlPattern = sqlPatterns.Length == 0 ? [] : [.. sqlPatterns.Split('|')],
        Action = action,
    };

    /// <summary>What a full copy would have left on both sides: one object for each change of the script.</summary>
    private async Task SetUpAsync(string s) => await fx.CreateBothAsync($"""
        CREATE DATABASE {s}; CREATE DATABASE {s}_old;
        CREATE TABLE {s}.t (id INT PRIMARY KEY, v VARCHAR(20)); INSERT INTO {s}.t VALUES (10, 'x'), (11, 'y'), (12, 'z');
        CREATE TABLE {s}.altered (id INT PRIMARY KEY);
        CREATE TABLE {s}.dropcol (id INT PRIMARY KEY, y INT);
        CREATE TABLE {s}.indexed (id INT PRIMARY KEY, v INT);
        CREATE TABLE {s}.unindexed (id INT PRIMARY KEY, v INT, KEY i2 (v));
        CREATE VIEW {s}.v2 AS SELECT 2 AS two;
        CREATE TABLE {s}.renamed (id INT PRIMARY KEY);
        CREATE TABLE {s}.truncated (id INT PRIMARY KEY); INSERT INTO {s}.truncated VALUES (1), (2);
        CREATE TABLE {s}.dropped (id INT PRIMARY KEY);
        CREATE TABLE {s}.modcol (id INT PRIMARY KEY, v INT);
        CREATE TABLE {s}.optioned (id INT PRIMARY KEY) ROW_FORMAT=DYNAMIC;
        """);

    private static string Script(string s) => $"""
        INSERT INTO {s}.t VALUES (1, 'a');
        UPDATE {s}.t SET v = 'updated' WHERE id = 11;
        DELETE FROM {s}.t WHERE id = 12;
        CREATE TABLE {s}.created (id INT PRIMARY KEY);
        ALTER TABLE {s}.altered ADD COLUMN x INT;
        ALTER TABLE {s}.dropcol DROP COLUMN y;
        CREATE INDEX i1 ON {s}.indexed (v);
        DROP INDEX i2 ON {s}.unindexed;
        CREATE VIEW {s}.v1 AS SELECT 1 AS one;
        DROP VIEW {s}.v2;
        RENAME TABLE {s}.renamed TO {s}.renamed2;
        TRUNCATE TABLE {s}.truncated;
        DROP TABLE {s}.dropped;
        ALTER TABLE {s}.modcol MODIFY v BIGINT;
        ALTER TABLE {s}.optioned ROW_FORMAT=COMPACT;
        CREATE DATABASE {s}_new;
        DROP DATABASE {s}_old;
        """;

    /// <summary>Which of <see cref="Changes"/> the target shows.</summary>
    private async Task<List<string>> ObserveAsync(string s)
    {
        await using var target = await fx.Target.OpenAsync();
        async Task<long> Count(string sql)
        {
            await using var command = new MySqlCommand(sql, target);
            return Convert.ToInt64(await command.ExecuteScalarAsync());
        }
        string Exists(string table) => $"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{s}' AND TABLE_NAME = '{table}'";
        string Column(string table, string column) =>
            $"SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '{s}' AND TABLE_NAME = '{table}' AND COLUMN_NAME = '{column}'";
        string Index(string table, string index) =>
            $"SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '{s}' AND TABLE_NAME = '{table}' AND INDEX_NAME = '{index}'";
        string Schema(string name) => $"SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '{name}'";
        var seen = new List<string>();
        void If(bool holds, string change) { if (holds) seen.Add(change); }
        If(await Count($"SELECT COUNT(*) FROM {s}.t WHERE id = 1") == 1, "insert");
        If(await Count($"SELECT COUNT(*) FROM {s}.t WHERE id = 11 AND v = 'updated'") == 1, "update");
        If(await Count($"SELECT COUNT(*) FROM {s}.t WHERE id = 12") == 0, "delete");
        If(await Count(Exists("created")) == 1, "create table");
        If(await Count(Column("altered", "x")) == 1, "add column");
        If(await Count(Column("dropcol", "y")) == 0, "drop column");
        If(await Count(Index("indexed", "i1")) == 1, "create index");
        If(await Count(Index("unindexed", "i2")) == 0, "drop index");
        If(await Count(Exists("v1")) == 1, "create view");
        If(await Count(Exists("v2")) == 0, "drop view");
        If(await Count(Exists("renamed2")) == 1 && await Count(Exists("renamed")) == 0, "rename table");
        If(await Count($"SELECT COUNT(*) FROM {s}.truncated") == 0, "truncate table");
        If(await Count(Exists("dropped")) == 0, "drop table");
        If(await Count(Schema(s + "_new")) == 1, "create database");
        If(await Count(Schema(s + "_old")) == 0, "drop database");
        If(await Count($"SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '{s}' AND TABLE_NAME = 'modcol' AND COLUMN_NAME = 'v' " +
                       "AND DATA_TYPE = 'bigint'") == 1, "modify column");
        If(await Count($"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{s}' AND TABLE_NAME = 'optioned' AND ROW_FORMAT = 'Compact'") == 1,
            "alter table");
        return seen;
    }
}
