using Dm.Sql.Ast;
using Dm.Sql.Tracking;

namespace Dm.Sql.Tests;

public sealed class SchemaTrackerTests
{
    private static SchemaTracker Tracker(string sql, string schema = "db")
    {
        var tracker = new SchemaTracker();
        tracker.Execute(sql, schema);
        return tracker;
    }

    [Fact]
    public void AnswersColumnsKeysAndCharsets()
    {
        var tracker = Tracker(@"CREATE DATABASE db CHARACTER SET latin1;
            CREATE TABLE db.t (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, name VARCHAR(20) CHARACTER SET utf8mb4 NOT NULL,
              note TEXT, g INT AS (id + 1) STORED, created TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
              PRIMARY KEY (id), UNIQUE KEY uk_name (name), KEY (note(10)))");
        var table = tracker.GetTable("db", "t")!;
        Assert.Equal(["id", "name", "note", "g", "created"], table.Columns.Select(c => c.Name));
        Assert.Equal("bigint(20) unsigned", table.Columns[0].ColumnType);
        Assert.True(table.Columns[0].AutoIncrement);
        Assert.Equal("utf8mb4", table.Columns[1].Charset);
        Assert.Equal("latin1", table.Columns[2].Charset);
        Assert.True(table.Columns[3].IsGenerated && table.Columns[3].IsStoredGenerated);
        Assert.Equal("CURRENT_TIMESTAMP", table.Columns[4].Default);
        Assert.Equal(["id"], table.PrimaryKey!.Columns);
        Assert.Equal("uk_name", Assert.Single(table.UniqueKeys).Name);
        Assert.Same(table.PrimaryKey, table.HandleKey);
        Assert.Equal("note", table.Indexes.Last().Name);
    }

    [Fact]
    public void AppliesAlterRenameDropAndIndexStatements()
    {
        var tracker = Tracker(@"CREATE TABLE t (a INT, b INT, c INT, KEY k (b, c));
            ALTER TABLE t ADD COLUMN z INT FIRST, CHANGE b b2 BIGINT NOT NULL AFTER a, DROP COLUMN c, ADD UNIQUE KEY (b2);
            CREATE INDEX ia ON t (a);
            RENAME TABLE t TO u;
            ALTER TABLE u RENAME TO db2.v;");
        Assert.Empty(tracker.Tables("db"));
        var table = tracker.GetTable("db2", "v")!;
        Assert.Equal(["z", "a", "b2"], table.Columns.Select(c => c.Name));
        Assert.Equal(["k:b2", "b2:b2", "ia:a"], table.Indexes.Select(i => i.Name + ":" + string.Join(",", i.Columns)));
        Assert.Equal("b2", table.HandleKey!.Name);

        tracker.Execute("DROP INDEX ia ON db2.v; ALTER TABLE db2.v DROP INDEX b2; DROP TABLE db2.v", null);
        Assert.Null(tracker.GetTable("db2", "v"));
    }

    [Fact]
    public void CreateLikeCopiesAndDropDatabaseRemovesTables()
    {
        var tracker = Tracker("CREATE TABLE a (id INT PRIMARY KEY, v INT); CREATE TABLE b LIKE a; CREATE TABLE IF NOT EXISTS b (x INT)");
        Assert.Equal(["id", "v"], tracker.GetTable("db", "b")!.Columns.Select(c => c.Name));
        tracker.Execute("DROP DATABASE db", null);
        Assert.False(tracker.HasDatabase("db"));
    }

    [Fact]
    public void UnknownTableAndCreateSelectAreClearErrors()
    {
        var tracker = new SchemaTracker();
        Assert.Throws<SchemaTrackerException>(() => tracker.Execute("ALTER TABLE nope ADD c INT", "db"));
        tracker.Execute("ALTER TABLE IF EXISTS nope ADD c INT", "db");
        var e = Assert.Throws<SchemaTrackerException>(() => tracker.Execute("CREATE TABLE s AS SELECT 1 AS x", "db"));
        Assert.Contains("SHOW CREATE TABLE", e.Message);
        Assert.Throws<SchemaTrackerException>(() => tracker.Execute("CREATE TABLE t (a INT)", null));
    }

    [Fact]
    public void SerialisesAndRestores()
    {
        var tracker = Tracker(@"CREATE DATABASE db CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
            CREATE TABLE t (id INT PRIMARY KEY, `we``ird` VARCHAR(10) COMMENT 'it''s', e ENUM('a','b') DEFAULT 'a') COMMENT='tc';
            CREATE TABLE other.p (id INT) PARTITION BY HASH (id) PARTITIONS 2");
        var json = SchemaSnapshot.Serialize(tracker);
        var restored = SchemaSnapshot.Restore(json);
        Assert.Equal(tracker.Databases, restored.Databases);
        foreach (var db in tracker.Databases)
        {
            foreach (var name in tracker.Tables(db))
            {
                var before = tracker.GetTable(db, name)!;
                var after = restored.GetTable(db, name)!;
                Assert.Equal(before.Definition, after.Definition);
                Assert.Equal(before.Columns, after.Columns);
            }
        }
        Assert.Equal(json, SchemaSnapshot.Serialize(restored));
        Assert.Throws<SchemaTrackerException>(() => SchemaSnapshot.Restore("{\"version\": 2, \"databases\": []}"));
        Assert.Throws<SchemaTrackerException>(() => SchemaSnapshot.Restore("not json"));
    }

    [Fact]
    public void TableCanBeReplacedAndRemoved()
    {
        var tracker = Tracker("CREATE TABLE t (a INT)");
        tracker.SetTable("db", "CREATE TABLE `t` (`a` int(11) NOT NULL, `b` varchar(5) DEFAULT NULL, PRIMARY KEY (`a`)) ENGINE=InnoDB");
        Assert.Equal(["a", "b"], tracker.GetTable("db", "t")!.Columns.Select(c => c.Name));
        Assert.Throws<SchemaTrackerException>(() => tracker.SetTable("db", "DROP TABLE t"));
        Assert.True(tracker.RemoveTable("db", "t"));
        Assert.False(tracker.RemoveTable("db", "t"));
    }
}
