using System.Text;
using Dm.Binlog.Replication;
using Dm.Core.Errors;
using Dm.Sql.Ast;
using Dm.Sql.Dml;
using Dm.Worker.Sync;
using Dm.Worker.Sync.Planning;

namespace Dm.Worker.Tests.Sync.Planning;

/// <summary>
/// Row images of real rows events turned into target statements and causality keys: inserts, updates and deletes as they
/// happened and in safe mode, key changes, routed targets, tables whose changes the writer merges, and images that do not fit.
/// </summary>
public sealed class RowChangePlannerTests
{
    private static readonly TableName Target = new("dst", "items");
    private static readonly TableEvents Items = new(TableEvents.Track("src", "CREATE TABLE items (id INT NOT NULL, name VARCHAR(20), PRIMARY KEY (id))"));

    private static SyncTransaction NewTransaction() => new() { Id = new BinlogPosition("binlog.000001", 4) };

    private static SyncTransaction Plan(Dm.Binlog.Events.RowsEvent rows, bool safeMode = false, bool merge = false, TableEvents? table = null)
    {
        var transaction = NewTransaction();
        RowChangePlanner.Plan(transaction, rows, (table ?? Items).Table, Target, safeMode, merge);
        return transaction;
    }

    /// <summary>A statement as "SQL | values" (text logged as bytes shown as text).</summary>
    private static string Show(DmlStatement statement) =>
        statement.Sql + " | " + string.Join(", ", statement.Parameters.Select(v => v switch
        {
            null => "NULL",
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
        }));

    private static string[] Statements(SyncTransaction transaction) => [.. transaction.Statements.Select(Show)];

    [Theory]
    [InlineData(false, "INSERT INTO")]
    [InlineData(true, "REPLACE INTO")]
    public void Inserts_of_one_event_become_one_statement_replacing_in_safe_mode(bool safeMode, string verb)
    {
        var transaction = Plan(Items.Insert([1, "one"], [2, null]), safeMode);
        Assert.Equal([$"{verb} `dst`.`items` (`id`,`name`) VALUES (?,?),(?,?) | 1, one, 2, NULL"], Statements(transaction));
        Assert.Equal(2, transaction.RowChanges);
        Assert.Equal(2, transaction.Keys.Distinct().Count());
        Assert.Empty(transaction.Rows);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Deletes_of_one_event_become_one_delete_by_key(bool safeMode)
    {
        var transaction = Plan(Items.Delete([1, "one"], [2, "two"]), safeMode);
        Assert.Equal(["DELETE FROM `dst`.`items` WHERE `id` IN (?,?) | 1, 2"], Statements(transaction));
        Assert.Equal(2, transaction.Keys.Distinct().Count());
    }

    [Fact]
    public void An_update_updates_the_row_by_its_old_key()
    {
        var transaction = Plan(Items.Update(([1, "one"], [1, "uno"])));
        Assert.Equal(["UPDATE `dst`.`items` SET `id`=?,`name`=? WHERE `id`=? | 1, uno, 1"], Statements(transaction));
        Assert.Single(transaction.Keys.Distinct());
        Assert.Equal(1, transaction.RowChanges);
    }

    [Fact]
    public void An_update_that_changes_the_key_conflicts_with_both_keys()
    {
        var transaction = Plan(Items.Update(([1, "one"], [10, "one"])));
        Assert.Equal(["UPDATE `dst`.`items` SET `id`=?,`name`=? WHERE `id`=? | 10, one, 1"], Statements(transaction));
        Assert.Equal(2, transaction.Keys.Distinct().Count());
        Assert.Equal(Plan(Items.Insert([1, "x"])).Keys[0], transaction.Keys[0]);
        Assert.Equal(Plan(Items.Insert([10, "x"])).Keys[0], transaction.Keys[1]);
    }

    [Fact]
    public void In_safe_mode_an_update_replaces_the_row_and_deletes_the_old_key_when_the_key_changed()
    {
        Assert.Equal(["REPLACE INTO `dst`.`items` (`id`,`name`) VALUES (?,?) | 1, uno"],
            Statements(Plan(Items.Update(([1, "one"], [1, "uno"])), safeMode: true)));
        Assert.Equal(["DELETE FROM `dst`.`items` WHERE `id`=? | 1", "REPLACE INTO `dst`.`items` (`id`,`name`) VALUES (?,?) | 10, one"],
            Statements(Plan(Items.Update(([1, "one"], [10, "one"])), safeMode: true)));
    }

    [Fact]
    public void Without_a_key_rows_are_found_by_all_their_values()
    {
        var log = new TableEvents(TableEvents.Track("src", "CREATE TABLE log (at INT, message VARCHAR(20))"));
        var update = Plan(log.Update(([1, "a"], [1, "b"])), table: log);
        Assert.Equal(["UPDATE `dst`.`items` SET `at`=?,`message`=? WHERE `at`=? AND `message`=? LIMIT 1 | 1, b, 1, a"], Statements(update));
        Assert.Equal(["dst\0items"], update.Keys.Distinct());
        // Safe mode cannot tell whether the key changed: the old row goes, the new one replaces.
        Assert.Equal(["DELETE FROM `dst`.`items` WHERE `at`=? AND `message`=? LIMIT 1 | 1, a", "REPLACE INTO `dst`.`items` (`at`,`message`) VALUES (?,?) | 1, b"],
            Statements(Plan(log.Update(([1, "a"], [1, "b"])), safeMode: true, table: log)));
    }

    [Fact]
    public void Changes_to_a_mergeable_table_stay_data_for_the_writer_keyed_by_primary_key()
    {
        var transaction = NewTransaction();
        var table = Items.Table;
        RowChangePlanner.Plan(transaction, Items.Insert([1, "one"]), table, Target, safeMode: true, merge: true);
        RowChangePlanner.Plan(transaction, Items.Update(([1, "one"], [2, "two"])), table, Target, safeMode: true, merge: true);
        RowChangePlanner.Plan(transaction, Items.Delete([2, "two"]), table, Target, safeMode: true, merge: true);
        Assert.Empty(transaction.Statements);
        Assert.Equal(3, transaction.RowChanges);
        Assert.Equal(3, transaction.Size);
        var (insert, update, delete) = (transaction.Rows[0], transaction.Rows[1], transaction.Rows[2]);
        Assert.Same(table, insert.Table);
        Assert.Equal(Target, insert.Target);
        Assert.Null(insert.Before);
        Assert.Null(insert.BeforeKey);
        Assert.Equal(1L, insert.After![0]);
        Assert.Equal(insert.AfterKey, update.BeforeKey);
        Assert.NotEqual(update.BeforeKey, update.AfterKey);
        Assert.Equal(update.AfterKey, delete.BeforeKey);
        Assert.Null(delete.After);
        Assert.Null(delete.AfterKey);
        // Each key once per change: the insert's, the update's two, the delete's.
        Assert.Equal([insert.AfterKey!, update.BeforeKey!, update.AfterKey!, delete.BeforeKey!], transaction.Keys);
    }

    [Fact]
    public void Tables_that_are_not_mergeable_get_statements_even_when_merging_is_allowed()
    {
        var unique = new TableEvents(TableEvents.Track("src", "CREATE TABLE users (id INT NOT NULL, email VARCHAR(20), PRIMARY KEY (id), UNIQUE KEY (email))"));
        Assert.Single(Plan(unique.Insert([1, "a@b"]), merge: true, table: unique).Statements);
        var textKey = new TableEvents(TableEvents.Track("src", "CREATE TABLE tags (name VARCHAR(20) NOT NULL, n INT, PRIMARY KEY (name))"));
        Assert.Single(Plan(textKey.Insert(["a", 1]), merge: true, table: textKey).Statements); // collated text: not exact
        Assert.Single(Plan(Items.Insert([1, "one"]), merge: false).Statements); // the target checks foreign keys, or the table is routed
    }

    [Fact]
    public void More_rows_than_a_statement_holds_become_several_statements()
    {
        var rows = Enumerable.Range(1, 300).Select(i => new object?[] { i, $"row {i}" }).ToArray();
        var transaction = Plan(Items.Insert(rows));
        Assert.Equal([256 * 2, 44 * 2], transaction.Statements.Select(s => s.Parameters.Count));
        Assert.Equal(300, transaction.RowChanges);
        Assert.Equal(300, transaction.Keys.Count);
    }

    [Fact]
    public void An_event_whose_row_width_differs_from_the_tracked_table_is_refused_naming_both()
    {
        var wider = TableEvents.Track("src", "CREATE TABLE items (id INT NOT NULL, name VARCHAR(20), added INT, PRIMARY KEY (id))");
        var error = Assert.Throws<DmException>(() => RowChangePlanner.Plan(NewTransaction(), Items.Insert([1, "one"]), wider, Target, false, false));
        Assert.Equal(DmErrors.ErrSyncerUnitDMLColumnNotMatch.Code, error.Code);
        Assert.Contains("`src`.`items`", error.Message);
        Assert.Contains("binlog-schema update", error.Message);
    }

    [Fact]
    public void Changes_add_up_in_one_transaction()
    {
        var transaction = NewTransaction();
        RowChangePlanner.Plan(transaction, Items.Insert([1, "one"]), Items.Table, Target, false, false);
        RowChangePlanner.Plan(transaction, Items.Update(([1, "one"], [1, "uno"])), Items.Table, Target, false, false);
        RowChangePlanner.Plan(transaction, Items.Delete([1, "uno"]), Items.Table, Target, false, false);
        Assert.Equal(
            ["INSERT INTO `dst`.`items` (`id`,`name`) VALUES (?,?) | 1, one", "UPDATE `dst`.`items` SET `id`=?,`name`=? WHERE `id`=? | 1, uno, 1",
             "DELETE FROM `dst`.`items` WHERE `id`=? | 1"],
            Statements(transaction));
        Assert.Equal(3, transaction.RowChanges);
        Assert.Single(transaction.Keys.Distinct());
    }
}
