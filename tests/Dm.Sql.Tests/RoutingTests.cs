using Dm.Sql.Ast;
using Dm.Sql.Classification;
using Dm.Sql.Parsing;
using Dm.Sql.Printing;
using Dm.Sql.Splitting;

namespace Dm.Sql.Tests;

/// <summary>
/// Routing through the printer's rename hook: shard tables `shard_N`.`t_N` (and bare names in the current
/// schema shard_1) go to `merged`.`t`; other tables keep their name but move from shard_N to merged.
/// </summary>
public sealed class RoutingTests
{
    private static readonly NameMapper Rules = new(
        table =>
        {
            var schema = table.Schema ?? "shard_1";
            var name = table.Name.StartsWith("t_", StringComparison.Ordinal) ? "t" : table.Name;
            return new TableName(schema.StartsWith("shard_", StringComparison.Ordinal) ? "merged" : schema, name);
        },
        schema => schema.StartsWith("shard_", StringComparison.Ordinal) ? "merged" : schema);

    private static string Route(string sql) => SqlPrinter.Print(SqlParser.Parse(sql), Rules);

    [Theory]
    [InlineData("CREATE TABLE t_1 (id INT PRIMARY KEY)", "CREATE TABLE `merged`.`t` (`id` INT PRIMARY KEY)")]
    [InlineData("CREATE TABLE shard_2.t_2 LIKE shard_2.t_tpl", "CREATE TABLE `merged`.`t` LIKE `merged`.`t`")]
    [InlineData("CREATE TABLE IF NOT EXISTS other.x LIKE t_9", "CREATE TABLE IF NOT EXISTS `other`.`x` LIKE `merged`.`t`")]
    [InlineData("CREATE TABLE c (id INT, pid INT, CONSTRAINT fk FOREIGN KEY (pid) REFERENCES shard_3.parent (id))",
        "CREATE TABLE `merged`.`c` (`id` INT, `pid` INT, CONSTRAINT `fk` FOREIGN KEY (`pid`) REFERENCES `merged`.`parent` (`id`))")]
    [InlineData("CREATE TABLE c (pid INT REFERENCES p (id))", "CREATE TABLE `merged`.`c` (`pid` INT REFERENCES `merged`.`p` (`id`))")]
    [InlineData("ALTER TABLE t_1 ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES other.p (id)",
        "ALTER TABLE `merged`.`t` ADD CONSTRAINT `fk` FOREIGN KEY (`a`) REFERENCES `other`.`p` (`id`)")]
    [InlineData("ALTER TABLE t_1 RENAME TO shard_1.t_old", "ALTER TABLE `merged`.`t` RENAME TO `merged`.`t`")]
    [InlineData("ALTER TABLE t_1 EXCHANGE PARTITION p0 WITH TABLE swap", "ALTER TABLE `merged`.`t` EXCHANGE PARTITION `p0` WITH TABLE `merged`.`swap`")]
    [InlineData("DROP TABLE t_1, shard_2.t_2, other.keep", "DROP TABLE `merged`.`t`, `merged`.`t`, `other`.`keep`")]
    [InlineData("RENAME TABLE t_1 TO t_1_old, shard_2.a TO other.b", "RENAME TABLE `merged`.`t` TO `merged`.`t`, `merged`.`a` TO `other`.`b`")]
    [InlineData("TRUNCATE TABLE shard_4.t_4", "TRUNCATE TABLE `merged`.`t`")]
    [InlineData("CREATE INDEX i ON t_1 (a)", "CREATE INDEX `i` ON `merged`.`t` (`a`)")]
    [InlineData("DROP INDEX i ON shard_2.t_2", "DROP INDEX `i` ON `merged`.`t`")]
    [InlineData("CREATE DATABASE shard_7", "CREATE DATABASE `merged`")]
    [InlineData("DROP DATABASE IF EXISTS shard_7", "DROP DATABASE IF EXISTS `merged`")]
    [InlineData("ALTER DATABASE shard_7 CHARACTER SET utf8mb4", "ALTER DATABASE `merged` CHARACTER SET utf8mb4")]
    [InlineData("CREATE VIEW v AS SELECT 1", "CREATE VIEW `merged`.`v` AS SELECT 1")]
    [InlineData("DROP VIEW shard_1.v, v2", "DROP VIEW `merged`.`v`, `merged`.`v2`")]
    [InlineData("CREATE TABLE m (a INT) ENGINE=MERGE UNION=(t_1, shard_2.t_2)", "CREATE TABLE `merged`.`m` (`a` INT) ENGINE=MERGE UNION = (`merged`.`t`, `merged`.`t`)")]
    [InlineData("CREATE SEQUENCE shard_1.s", "CREATE SEQUENCE `merged`.`s`")]
    public void EveryStatementTypeIsRenamed(string sql, string expected)
    {
        var routed = Route(sql);
        Assert.Equal(expected, routed);
        SqlParser.Parse(routed); // what routing prints must parse again
    }

    [Fact]
    public void MultiTableDropSplitsAndRoutesEachTable()
    {
        var pieces = StatementSplitter.Split(SqlParser.Parse("DROP TABLE IF EXISTS t_1, shard_2.t_2, other.keep"))
            .Select(s => SqlPrinter.Print(s, Rules)).ToArray();
        Assert.Equal(
        [
            "DROP TABLE IF EXISTS `merged`.`t`",
            "DROP TABLE IF EXISTS `merged`.`t`",
            "DROP TABLE IF EXISTS `other`.`keep`",
        ], pieces);
    }

    [Fact]
    public void MultiPairRenameSplitsInOrder()
    {
        var pieces = StatementSplitter.Split(SqlParser.Parse("RENAME TABLE a TO tmp, b TO a, tmp TO b")).Select(s => SqlPrinter.Print(s)).ToArray();
        Assert.Equal(["RENAME TABLE `a` TO `tmp`", "RENAME TABLE `b` TO `a`", "RENAME TABLE `tmp` TO `b`"], pieces);
    }

    [Fact]
    public void MultiSpecAlterSplitsOneSpecPerStatementKeepingAlgorithmAndRenamingLast()
    {
        var sql = "ALTER TABLE t_1 RENAME TO t_new, ADD COLUMN (a INT, b INT), DROP INDEX i, ALGORITHM=INPLACE, ENGINE=InnoDB COMMENT='c', ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES p (id)";
        var pieces = StatementSplitter.Split(SqlParser.Parse(sql)).Select(s => SqlPrinter.Print(s)).ToArray();
        Assert.Equal(
        [
            "ALTER TABLE `t_1` ADD COLUMN `a` INT, ALGORITHM = INPLACE",
            "ALTER TABLE `t_1` ADD COLUMN `b` INT, ALGORITHM = INPLACE",
            "ALTER TABLE `t_1` DROP INDEX `i`, ALGORITHM = INPLACE",
            "ALTER TABLE `t_1` ENGINE=InnoDB, ALGORITHM = INPLACE",
            "ALTER TABLE `t_1` COMMENT='c', ALGORITHM = INPLACE",
            "ALTER TABLE `t_1` ADD CONSTRAINT `fk` FOREIGN KEY (`a`) REFERENCES `p` (`id`), ALGORITHM = INPLACE",
            "ALTER TABLE `t_1` RENAME TO `t_new`",
        ], pieces);
        Assert.Equal(
        [
            DdlEventType.AddColumn, DdlEventType.AddColumn, DdlEventType.DropIndex, DdlEventType.ModifyStorageEngine,
            DdlEventType.ModifyTableComment, DdlEventType.AddForeignKey, DdlEventType.RenameTable,
        ], StatementSplitter.Split(SqlParser.Parse(sql)).Select(DdlClassifier.Classify).ToArray());
        Assert.Equal(DdlEventType.MultiSchemaChange, DdlClassifier.Classify(SqlParser.Parse(sql)));
    }

    [Fact]
    public void PartitioningAfterSpecsBecomesItsOwnStatement()
    {
        var pieces = StatementSplitter.Split(SqlParser.Parse("ALTER TABLE t ADD COLUMN c INT PARTITION BY HASH (id) PARTITIONS 2"))
            .Select(s => SqlPrinter.Print(s)).ToArray();
        Assert.Equal(["ALTER TABLE `t` ADD COLUMN `c` INT", "ALTER TABLE `t` PARTITION BY HASH (id) PARTITIONS 2"], pieces);
    }

    [Fact]
    public void SingleStatementsAreNotSplit()
    {
        foreach (var sql in new[] { "ALTER TABLE t ADD COLUMN c INT, ALGORITHM=INSTANT", "DROP TABLE t", "CREATE TABLE t (a INT, b INT)" })
        {
            var statement = SqlParser.Parse(sql);
            Assert.Same(statement, Assert.Single(StatementSplitter.Split(statement)));
        }
    }

    [Fact]
    public void ReferencedTablesAreListed()
    {
        var statement = SqlParser.Parse("CREATE TABLE c (a INT REFERENCES p1 (id), b INT, FOREIGN KEY (b) REFERENCES db.p2 (id))");
        Assert.Equal([new TableName(null, "c")], StatementTables.Targets(statement));
        Assert.Equal([new TableName(null, "p1"), new TableName("db", "p2")], StatementTables.References(statement));
        Assert.Equal([new TableName(null, "a"), new TableName(null, "b"), new TableName("x", "c"), new TableName(null, "d")],
            StatementTables.Targets(SqlParser.Parse("RENAME TABLE a TO b, x.c TO d")));
    }
}

/// <summary>Tables named inside view queries and CREATE TABLE ... SELECT are routed too.</summary>
public sealed class QueryRoutingTests
{
    private static readonly NameMapper Rules = new(
        t => new TableName("dst", t.Name.StartsWith("t_", StringComparison.Ordinal) ? "t" : t.Name),
        s => s);

    [Theory]
    [InlineData("CREATE VIEW v AS SELECT a FROM t_1 WHERE b IN (SELECT b FROM src.t_2 x) ORDER BY a",
        "CREATE VIEW `dst`.`v` AS SELECT a FROM `dst`.`t` WHERE b IN (SELECT b FROM `dst`.`t` x) ORDER BY a")]
    [InlineData("CREATE VIEW v AS SELECT * FROM a, b AS bb JOIN `c` ON bb.id = c.id LEFT JOIN d USING (id)",
        "CREATE VIEW `dst`.`v` AS SELECT * FROM `dst`.`a`, `dst`.`b` AS bb JOIN `dst`.`c` ON bb.id = c.id LEFT JOIN `dst`.`d` USING (id)")]
    [InlineData("CREATE VIEW v AS WITH cte AS (SELECT id FROM t_1) SELECT * FROM cte JOIN t_2 ON cte.id = t_2.id",
        "CREATE VIEW `dst`.`v` AS WITH cte AS (SELECT id FROM `dst`.`t`) SELECT * FROM cte JOIN `dst`.`t` ON cte.id = t_2.id")]
    [InlineData("CREATE VIEW v AS SELECT 1 FROM DUAL", "CREATE VIEW `dst`.`v` AS SELECT 1 FROM DUAL")]
    [InlineData("CREATE VIEW v AS SELECT (SELECT max(x) FROM m) AS mx, y FROM (SELECT y FROM n) AS dt",
        "CREATE VIEW `dst`.`v` AS SELECT (SELECT max(x) FROM `dst`.`m`) AS mx, y FROM (SELECT y FROM `dst`.`n`) AS dt")]
    [InlineData("CREATE TABLE c AS SELECT * FROM t_1 UNION SELECT * FROM t_2",
        "CREATE TABLE `dst`.`c` AS SELECT * FROM `dst`.`t` UNION SELECT * FROM `dst`.`t`")]
    public void QueryTablesAreRenamed(string sql, string expected)
    {
        var statement = SqlParser.Parse(sql);
        Assert.Equal(expected, SqlPrinter.Print(statement, Rules));
        Assert.Equal(statement, SqlParser.Parse(SqlPrinter.Print(statement)));
    }
}
