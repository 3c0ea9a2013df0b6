using Dm.Worker.Load;

namespace Dm.Worker.Tests;

/// <summary>Which KEY lines of a SHOW CREATE TABLE are left for after the load, and the CREATE TABLE without them.</summary>
public sealed class DeferredIndexesTests
{
    private const string Sysbench = """
        CREATE TABLE IF NOT EXISTS `sbtest1` (
          `id` int(11) NOT NULL AUTO_INCREMENT,
          `k` int(11) NOT NULL DEFAULT 0,
          `c` char(120) NOT NULL DEFAULT '',
          PRIMARY KEY (`id`),
          UNIQUE KEY `uc` (`c`),
          KEY `k_1` (`k`),
          KEY `we``ird` (`c`(10),`k`) COMMENT 'x'
        ) ENGINE=InnoDB AUTO_INCREMENT=7 DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci
        """;

    [Fact]
    public void Plain_keys_are_deferred_primary_and_unique_keys_stay()
    {
        var (create, keys) = DeferredIndexes.Split(Sysbench);
        Assert.Equal(["  KEY `k_1` (`k`)", "  KEY `we``ird` (`c`(10),`k`) COMMENT 'x'"], keys);
        Assert.Equal("""
            CREATE TABLE IF NOT EXISTS `sbtest1` (
              `id` int(11) NOT NULL AUTO_INCREMENT,
              `k` int(11) NOT NULL DEFAULT 0,
              `c` char(120) NOT NULL DEFAULT '',
              PRIMARY KEY (`id`),
              UNIQUE KEY `uc` (`c`)
            ) ENGINE=InnoDB AUTO_INCREMENT=7 DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci
            """, create);
        Assert.Equal("we`ird", DeferredIndexes.Name(keys[1]));
        Assert.Equal("ADD KEY `k_1` (`k`), ADD KEY `we``ird` (`c`(10),`k`) COMMENT 'x'", DeferredIndexes.AddClauses(keys));
    }

    [Fact]
    public void Keys_a_foreign_key_or_an_auto_increment_column_needs_stay()
    {
        var withForeignKey = """
            CREATE TABLE `child` (
              `id` int(11) NOT NULL,
              `p` int(11) DEFAULT NULL,
              PRIMARY KEY (`id`),
              KEY `p` (`p`),
              CONSTRAINT `fk` FOREIGN KEY (`p`) REFERENCES `parent` (`id`)
            ) ENGINE=InnoDB
            """;
        Assert.Empty(DeferredIndexes.Split(withForeignKey).Keys);
        Assert.Equal(withForeignKey, DeferredIndexes.Split(withForeignKey).CreateTableSql);

        var autoIncrementKey = """
            CREATE TABLE `t` (
              `a` int(11) NOT NULL,
              `id` int(11) NOT NULL AUTO_INCREMENT,
              PRIMARY KEY (`a`),
              KEY `id` (`id`),
              KEY `ai` (`a`,`id`)
            ) ENGINE=InnoDB
            """;
        Assert.Equal(["  KEY `ai` (`a`,`id`)"], DeferredIndexes.Split(autoIncrementKey).Keys);
    }

    [Fact]
    public void A_table_without_plain_keys_is_left_as_it_is()
    {
        var create = "CREATE TABLE `t` (\n  `a` int(11) NOT NULL,\n  PRIMARY KEY (`a`)\n) ENGINE=InnoDB";
        Assert.Equal((create, 0), (DeferredIndexes.Split(create).CreateTableSql, DeferredIndexes.Split(create).Keys.Count));
    }
}
