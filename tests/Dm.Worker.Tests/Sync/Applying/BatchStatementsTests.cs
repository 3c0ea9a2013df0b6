using Dm.Binlog.Replication;
using Dm.Sql.Ast;
using Dm.Worker.Sync;
using Dm.Worker.Sync.Applying;
using Dm.Worker.Sync.Planning;

namespace Dm.Worker.Tests.Sync.Applying;

/// <summary>
/// A writer batch's statements: changes to mergeable tables collapse to each key's final state (multi-row DELETE, then
/// multi-row upsert, per table), while other tables' statements keep their binlog order in front of them.
/// </summary>
public sealed class BatchStatementsTests
{
    private static readonly TableName Target = new("dst", "items");
    private static readonly TableEvents Items = new(TableEvents.Track("src", "CREATE TABLE items (id INT NOT NULL, name VARCHAR(20), PRIMARY KEY (id))"));

    private static SyncTransaction Planned(params Dm.Binlog.Events.RowsEvent[] events)
    {
        var transaction = new SyncTransaction { Id = new BinlogPosition("binlog.000001", 4) };
        foreach (var rows in events) RowChangePlanner.Plan(transaction, rows, Items.Table, Target, safeMode: false, merge: true);
        return transaction;
    }

    private static string[] Build(params SyncTransaction[] batch) =>
        [.. BatchStatements.Build(batch).Select(s => s.Sql + " | " + string.Join(", ", s.Parameters.Select(v => v is byte[] b ? System.Text.Encoding.UTF8.GetString(b) : v)))];

    [Fact]
    public void Changes_to_one_key_across_transactions_collapse_to_its_final_image()
    {
        Assert.Equal(["INSERT INTO `dst`.`items` (`id`,`name`) VALUES (?,?) ON DUPLICATE KEY UPDATE `id`=VALUES(`id`),`name`=VALUES(`name`) | 1, third"],
            Build(Planned(Items.Insert([1, "first"])), Planned(Items.Update(([1, "first"], [1, "second"]))), Planned(Items.Update(([1, "second"], [1, "third"])))));
    }

    [Fact]
    public void A_row_inserted_and_deleted_in_one_batch_is_deleted_whatever_the_target_held()
    {
        Assert.Equal(["DELETE FROM `dst`.`items` WHERE `id`=? | 1"], Build(Planned(Items.Insert([1, "one"])), Planned(Items.Delete([1, "one"]))));
    }

    [Fact]
    public void A_key_change_deletes_the_old_key_before_upserting_the_new_one()
    {
        Assert.Equal(
            ["DELETE FROM `dst`.`items` WHERE `id`=? | 1",
             "INSERT INTO `dst`.`items` (`id`,`name`) VALUES (?,?),(?,?) ON DUPLICATE KEY UPDATE `id`=VALUES(`id`),`name`=VALUES(`name`) | 10, one, 2, two"],
            Build(Planned(Items.Update(([1, "one"], [10, "one"]))), Planned(Items.Insert([2, "two"]))));
    }

    [Fact]
    public void A_key_deleted_then_inserted_again_ends_present()
    {
        Assert.Equal(["INSERT INTO `dst`.`items` (`id`,`name`) VALUES (?,?) ON DUPLICATE KEY UPDATE `id`=VALUES(`id`),`name`=VALUES(`name`) | 1, again"],
            Build(Planned(Items.Delete([1, "one"]), Items.Insert([1, "again"]))));
    }

    [Fact]
    public void Statements_of_other_tables_come_first_in_binlog_order()
    {
        var keyless = new TableEvents(TableEvents.Track("src", "CREATE TABLE log (at INT, message VARCHAR(20))"));
        var transaction = Planned(Items.Insert([1, "one"]));
        RowChangePlanner.Plan(transaction, keyless.Insert([1, "a"]), keyless.Table, new TableName("dst", "log"), safeMode: false, merge: true);
        RowChangePlanner.Plan(transaction, keyless.Delete([1, "a"]), keyless.Table, new TableName("dst", "log"), safeMode: false, merge: true);
        Assert.Equal(
            ["INSERT INTO `dst`.`log` (`at`,`message`) VALUES (?,?) | 1, a",
             "DELETE FROM `dst`.`log` WHERE `at`=? AND `message`=? LIMIT 1 | 1, a",
             "INSERT INTO `dst`.`items` (`id`,`name`) VALUES (?,?) ON DUPLICATE KEY UPDATE `id`=VALUES(`id`),`name`=VALUES(`name`) | 1, one"],
            Build(transaction));
    }

    [Fact]
    public void Many_keys_are_written_a_few_hundred_rows_a_statement()
    {
        var rows = Enumerable.Range(1, 600).Select(i => new object?[] { i, "x" }).ToArray();
        var statements = BatchStatements.Build([Planned(Items.Insert(rows)), Planned(Items.Delete(rows[..300]))]);
        Assert.Equal(["DELETE", "DELETE", "INSERT", "INSERT"], statements.Select(s => s.Sql.Split(' ')[0]));
        Assert.Equal([256, 44, 256 * 2, 44 * 2], statements.Select(s => s.Parameters.Count));
    }

    [Theory]
    [InlineData(false, false, "INSERT,INSERT,INSERT,UPDATE,DELETE")] // DM's defaults: each row change its own statement
    [InlineData(false, true, "INSERT,UPDATE,DELETE")]
    [InlineData(true, false, "DELETE,INSERT,INSERT")] // compacted to each key's final image, one row a statement
    [InlineData(true, true, "DELETE,INSERT")]
    public void Compact_and_multiple_rows_switch_as_the_task_s_syncer_says(bool compact, bool multipleRows, string expected)
    {
        var config = new Dm.Core.Config.SubTaskConfig { Syncer = new Dm.Core.Config.SyncerConfig { Compact = compact, MultipleRows = multipleRows } };
        var settings = new SyncSettings(config, new Dm.Core.Config.SourceConfig(), null!, null!);
        Assert.Equal(compact, settings.Compact);
        var transaction = new SyncTransaction { Id = new BinlogPosition("binlog.000001", 4) };
        foreach (var rows in new[] { Items.Insert([1, "a"], [2, "b"], [3, "c"]), Items.Update(([1, "a"], [1, "z"])), Items.Delete([2, "b"]) })
            RowChangePlanner.Plan(transaction, rows, Items.Table, Target, safeMode: false, merge: settings.Compact, rowsPerStatement: settings.Shape.RowsPerStatement);
        var statements = BatchStatements.Build([transaction], settings.Shape.RowsPerStatement);
        Assert.Equal(expected, string.Join(",", statements.Select(s => s.Sql.Split(' ')[0])));
    }
}
