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

    private static int _statements;

    /// <summary>The pieces of <paramref name="sql"/> (none of its statements may be refused).</summary>
    private static List<DdlPiece> Plan(DdlPlanner planner, string sql, string? currentSchema = "shop")
    {
        var pieces = new List<DdlPiece>();
        foreach (var statement in SqlParser.ParseAll(sql))
        {
            var (planned, refused) = planner.Plan(statement, currentSchema, sql, $"test:{Interlocked.Increment(ref _statements)}");
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
        Assert.Empty(TargetSql(planner, "CREATE TEMPORARY TABLE scratch (id INT)"));
        Assert.Empty(TargetSql(planner, "DROP TEMPORARY TABLE scratch"));
        Assert.False(Planner(c => c.OnlineDdl = false).IsOnlineDdlTable("_orders_gho"));
    }

    [Fact]
    public void Ghost_ddls_are_recorded_and_the_gh_ost_cut_over_applies_them_to_the_real_table()
    {
        var planner = Planner();
        Assert.Empty(TargetSql(planner, "CREATE TABLE `_t_gho` LIKE `t`"));
        Assert.Empty(TargetSql(planner, "ALTER TABLE `_t_gho` ADD COLUMN c INT NOT NULL DEFAULT 3"));
        Assert.Empty(TargetSql(planner, "CREATE TABLE `_t_ghc` (id BIGINT PRIMARY KEY, hint VARCHAR(64))"));
        Assert.Empty(TargetSql(planner, "ALTER TABLE `_t_gho` DROP COLUMN d, ADD INDEX c_idx (c)"));
        Assert.Equal(3, planner.OnlineDdl.Get("shop", "_t_gho")!.Ddls.Count); // one per ALTER piece
        Assert.Contains(("shop", "_t_gho"), planner.OnlineDdl.Dirty);

        var cutOver = Plan(planner, "RENAME TABLE `t` TO `_t_del`, `_t_gho` TO `t`");
        Assert.All(cutOver, p => Assert.StartsWith("ALTER TABLE `shop`.`t` ", p.TargetSql));
        var applied = string.Join("; ", cutOver.Select(p => p.TargetSql));
        Assert.StartsWith("ALTER TABLE `shop`.`t` ADD COLUMN `c`", applied);
        Assert.Contains("DROP COLUMN `d`", applied);
        Assert.Contains("`c_idx`", applied);
        Assert.All(cutOver, p => Assert.Equal(new Dm.Sql.Ast.TableName("shop", "t"), p.Tables[0]));
        Assert.Null(planner.OnlineDdl.Get("shop", "_t_gho"));
        Assert.Empty(TargetSql(planner, "DROP TABLE IF EXISTS `_t_del`"));
        Assert.Empty(TargetSql(planner, "DROP TABLE `_t_ghc`"));
    }

    [Fact]
    public void The_pt_osc_cut_over_is_routed_and_a_two_step_rename_cuts_over_at_its_second_step()
    {
        var planner = Planner();
        Assert.Empty(TargetSql(planner, "CREATE TABLE logs_1.`_events_new` (id INT PRIMARY KEY)", currentSchema: null));
        Assert.Empty(TargetSql(planner, "ALTER TABLE logs_1.`_events_new` ADD COLUMN note TEXT", currentSchema: null));
        Assert.Equal(["ALTER TABLE `logs`.`events` ADD COLUMN `note` TEXT"],
            TargetSql(planner, "RENAME TABLE logs_1.events TO logs_1._events_old, logs_1._events_new TO logs_1.events", currentSchema: null));

        Assert.Empty(TargetSql(planner, "CREATE TABLE `_t_gho` LIKE `t`"));
        Assert.Empty(TargetSql(planner, "ALTER TABLE `_t_gho` ADD COLUMN e INT"));
        Assert.Empty(TargetSql(planner, "RENAME TABLE `t` TO `_t_del`"));
        Assert.Equal(["ALTER TABLE `shop`.`t` ADD COLUMN `e` INT"], TargetSql(planner, "RENAME TABLE `_t_gho` TO `t`"));
    }

    [Fact]
    public void A_ghost_ddl_read_again_after_a_restart_is_recorded_once_and_an_unknown_ghost_cut_over_is_refused()
    {
        var planner = Planner();
        var alter = SqlParser.Parse("ALTER TABLE `_t_new` ADD COLUMN c INT");
        planner.Plan(SqlParser.Parse("CREATE TABLE `_t_new` (id INT)"), "shop", "", "mysql-bin.000001:100.0");
        planner.Plan(alter, "shop", "", "mysql-bin.000001:200.0");
        planner.Plan(alter, "shop", "", "mysql-bin.000001:200.0");
        Assert.Single(planner.OnlineDdl.Get("shop", "_t_new")!.Ddls);

        var error = Assert.Throws<Dm.Core.Errors.DmException>(() => Plan(Planner(), "RENAME TABLE t TO _t_old, _t_new TO t"));
        Assert.Equal(36051, error.Code);
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
        var (pieces, refused) = planner.Plan(drop, "shop", "DROP TABLE a, locked", "test:refused");
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

    [Fact]
    public void A_shard_created_like_another_shard_of_its_target_needs_nothing_on_the_target_but_is_tracked()
    {
        var planner = Planner(c => c.IsSharding = true);
        var like = Assert.Single(Plan(planner, "CREATE TABLE orders_8 LIKE orders_7"));
        Assert.Null(like.TargetSql); // routed as it is: CREATE TABLE orders LIKE orders, which the target refuses
        Assert.Equal("orders_8", like.Tables.Single().Name);
        Assert.Equal(["CREATE TABLE IF NOT EXISTS `shop`.`orders` LIKE `shop`.`other`"], TargetSql(planner, "CREATE TABLE orders_9 LIKE other"));
    }
}
