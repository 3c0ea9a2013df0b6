using Dm.Core.Config;
using Dm.Core.Rules;
using Dm.Sql.Parsing;
using Dm.Worker.Sync.Planning;

namespace Dm.Worker.Tests.Sync.Planning;

/// <summary>
/// Upstream DDL split into one piece per table or ALTER change, filtered by the block-allow list, the binlog event filter
/// and the online-DDL rules, routed to target names and made harmless to replay (IF [NOT] EXISTS).
/// </summary>
public sealed class DdlPlannerTests
{
    private static DdlPlanner Planner(Action<SubTaskConfig>? adjust = null)
    {
        var config = new SubTaskConfig
        {
            Name = "plan",
            Mode = TaskModes.Incremental,
            SourceId = "source",
            BlockAllowList = new BlockAllowListRules { DoDbs = ["shop", "~^logs_"] },
            RouteRules = [new RouteRule { SchemaPattern = "shop", TablePattern = "orders_*", TargetSchema = "shop", TargetTable = "orders" },
                          new RouteRule { SchemaPattern = "logs_*", TargetSchema = "logs" }],
        };
        adjust?.Invoke(config);
        config.Adjust();
        return new DdlPlanner(config, config.CreateBlockAllowListFilter(), config.CreateBinlogEventFilter(), config.CreateTableRouter());
    }

    /// <summary>The pieces of <paramref name="sql"/> (none of its statements may be refused).</summary>
    private static List<DdlPiece> Plan(DdlPlanner planner, string sql, string? currentSchema = "shop")
    {
        var pieces = new List<DdlPiece>();
        foreach (var statement in SqlParser.ParseAll(sql))
        {
            var (planned, refused) = planner.Plan(statement, currentSchema, sql);
            Assert.Null(refused);
            pieces.AddRange(planned);
        }
        return pieces;
    }

    /// <summary>The target SQL of each piece; "(tracked only)" for a piece only the tracker applies.</summary>
    private static string[] TargetSql(DdlPlanner planner, string sql, string? currentSchema = "shop") =>
        [.. Plan(planner, sql, currentSchema).Select(p => p.TargetSql ?? "(tracked only)")];

    [Fact]
    public void A_multi_table_drop_becomes_one_idempotent_drop_per_table()
    {
        var pieces = Plan(Planner(), "DROP TABLE a, shop.b");
        Assert.Equal(["DROP TABLE IF EXISTS `shop`.`a`", "DROP TABLE IF EXISTS `shop`.`b`"], pieces.Select(p => p.TargetSql!));
        Assert.Equal([("shop", "a"), ("shop", "b")], pieces.Select(p => (p.Tables.Single().Schema, p.Tables.Single().Name)));
    }

    [Fact]
    public void A_multi_table_rename_becomes_one_rename_per_pair()
    {
        var pieces = Plan(Planner(), "RENAME TABLE a TO a_old, b TO b_old");
        Assert.Equal(["RENAME TABLE `shop`.`a` TO `shop`.`a_old`", "RENAME TABLE `shop`.`b` TO `shop`.`b_old`"], pieces.Select(p => p.TargetSql!));
    }

    [Fact]
    public void An_alter_of_several_changes_becomes_one_alter_per_change()
    {
        Assert.Equal(["ALTER TABLE `shop`.`a` ADD COLUMN `c` INT", "ALTER TABLE `shop`.`a` DROP COLUMN `d`"],
            TargetSql(Planner(), "ALTER TABLE a ADD COLUMN c INT, DROP COLUMN d"));
    }

    [Fact]
    public void Creates_and_drops_become_harmless_to_replay()
    {
        var planner = Planner();
        Assert.Equal("CREATE TABLE IF NOT EXISTS `shop`.`t` (`id` INT NOT NULL, PRIMARY KEY (`id`))",
            Assert.Single(TargetSql(planner, "CREATE TABLE t (id INT NOT NULL, PRIMARY KEY (id))")));
        Assert.Equal(["CREATE DATABASE IF NOT EXISTS `shop`"], TargetSql(planner, "CREATE DATABASE shop"));
        Assert.Equal(["DROP DATABASE IF EXISTS `shop`"], TargetSql(planner, "DROP DATABASE shop"));
        Assert.Equal(["CREATE OR REPLACE TABLE `shop`.`t` (`id` INT)"], TargetSql(planner, "CREATE OR REPLACE TABLE t (id INT)")); // replaces anyway
    }

    [Fact]
    public void Tables_are_routed_to_their_targets_and_keep_their_upstream_names_for_the_tracker()
    {
        var planner = Planner();
        var piece = Assert.Single(Plan(planner, "ALTER TABLE orders_7 ADD COLUMN note VARCHAR(10)"));
        Assert.Equal("ALTER TABLE `shop`.`orders` ADD COLUMN `note` VARCHAR(10)", piece.TargetSql);
        Assert.Equal(("shop", "orders_7"), (piece.Tables.Single().Schema, piece.Tables.Single().Name));
        Assert.Equal(["CREATE TABLE IF NOT EXISTS `logs`.`events` (`id` INT)"], TargetSql(planner, "CREATE TABLE logs_2024.events (id INT)", currentSchema: null));
        Assert.Equal(["CREATE DATABASE IF NOT EXISTS `logs`"], TargetSql(planner, "CREATE DATABASE logs_2024"));
    }

    [Fact]
    public void Pieces_outside_the_block_allow_list_are_dropped()
    {
        var planner = Planner();
        Assert.Equal(["DROP TABLE IF EXISTS `shop`.`a`"], TargetSql(planner, "DROP TABLE shop.a, other.b"));
        Assert.Empty(TargetSql(planner, "CREATE DATABASE other"));
        Assert.Empty(TargetSql(planner, "ALTER TABLE t ADD COLUMN c INT", currentSchema: "other"));
    }

    [Fact]
    public void Online_ddl_helper_tables_and_temporary_tables_are_not_replicated()
    {
        var planner = Planner();
        Assert.True(planner.IsOnlineDdlTable("_orders_gho"));
        Assert.True(planner.IsOnlineDdlTable("_orders_del"));
        Assert.False(planner.IsOnlineDdlTable("orders"));
        Assert.Empty(TargetSql(planner, "CREATE TABLE _orders_gho (id INT)"));
        Assert.Empty(TargetSql(planner, "ALTER TABLE _orders_new ADD COLUMN c INT"));
        Assert.Empty(TargetSql(planner, "CREATE TEMPORARY TABLE scratch (id INT)"));
        Assert.Empty(TargetSql(planner, "DROP TEMPORARY TABLE scratch"));
        Assert.False(Planner(c => c.OnlineDdl = false).IsOnlineDdlTable("_orders_gho"));
    }

    [Fact]
    public void The_binlog_event_filter_ignores_pieces_or_refuses_the_statement()
    {
        var planner = Planner(c => c.FilterRules =
        [
            new BinlogEventRule { SchemaPattern = "shop", TablePattern = "*", Events = ["truncate table"], Action = "Ignore" },
            new BinlogEventRule { SchemaPattern = "shop", TablePattern = "locked", Events = ["drop table"], Action = "Error" },
        ]);
        Assert.Empty(TargetSql(planner, "TRUNCATE TABLE a"));
        Assert.Equal(["DROP TABLE IF EXISTS `shop`.`a`"], TargetSql(planner, "DROP TABLE a"));

        var drop = SqlParser.Parse("DROP TABLE a, locked");
        var (pieces, refused) = planner.Plan(drop, "shop", "DROP TABLE a, locked");
        Assert.Equal("`shop`.`locked`", refused);
        Assert.Single(pieces); // what came before the refused piece (the caller applies none of it)
    }

    [Fact]
    public void A_sharded_task_does_not_drop_or_truncate_the_merged_target_but_tracks_it()
    {
        var planner = Planner(c => c.IsSharding = true);
        var drop = Assert.Single(Plan(planner, "DROP TABLE orders_7"));
        Assert.Null(drop.TargetSql);
        Assert.Equal("orders_7", drop.Tables.Single().Name);
        Assert.Equal(["(tracked only)"], TargetSql(planner, "TRUNCATE TABLE orders_7"));
        Assert.Equal(["ALTER TABLE `shop`.`orders` ADD COLUMN `c` INT"], TargetSql(planner, "ALTER TABLE orders_7 ADD COLUMN c INT"));
    }
}
