using Dm.Worker.Sync.Planning;

namespace Dm.Worker.Tests.Sync.Planning;

/// <summary>
/// Which changes must apply in binlog order: those sharing a key value of a primary or unique key of the same target table.
/// Text compares loosely (case, trailing spaces), never more strictly than the target would.
/// </summary>
public sealed class CausalityKeysTests
{
    private const string Target = "shop\0orders";

    private static readonly Dm.Sql.Tracking.TableInfo Orders = TableEvents.Track("shop",
        "CREATE TABLE orders (id INT NOT NULL, code VARCHAR(20), note VARCHAR(20), raw VARBINARY(8), PRIMARY KEY (id), UNIQUE KEY uk_code (code))");

    private static List<string> Keys(Dm.Sql.Tracking.TableInfo table, object?[]? row, string target = Target)
    {
        var keys = new List<string>();
        CausalityKeys.Add(keys, target, table, row);
        return keys;
    }

    [Fact]
    public void A_row_has_one_key_per_primary_or_unique_key()
    {
        var keys = Keys(Orders, [1, "A-1", "first", null]);
        Assert.Equal(2, keys.Count);
        Assert.All(keys, k => Assert.StartsWith(Target, k));
        Assert.NotEqual(keys[0], keys[1]);
    }

    [Fact]
    public void Changes_sharing_a_key_value_conflict_and_others_do_not()
    {
        var row = Keys(Orders, [1, "A-1", "first", null]);
        Assert.Equal(row, Keys(Orders, [1, "A-1", "changed note", new byte[] { 1 }])); // other columns do not matter
        Assert.Single(row.Intersect(Keys(Orders, [1, "B-2", "x", null]))); // same id
        Assert.Single(row.Intersect(Keys(Orders, [2, "A-1", "x", null]))); // same code
        Assert.Empty(row.Intersect(Keys(Orders, [2, "B-2", "x", null])));
        Assert.Empty(row.Intersect(Keys(Orders, [1, "A-1", "first", null], target: "shop\0other"))); // another target table
    }

    [Fact]
    public void Text_keys_fold_case_and_trailing_spaces_also_when_logged_as_bytes()
    {
        var upper = Keys(Orders, [1, "ABC  ", null, null]);
        Assert.Equal(upper[1], Keys(Orders, [2, "abc", null, null])[1]);
        // Text logged without charset metadata arrives as bytes: it folds like text.
        Assert.Equal(upper[1], Keys(Orders, [3, "abc"u8.ToArray(), null, null])[1]);
    }

    [Fact]
    public void Binary_keys_compare_exactly()
    {
        var table = TableEvents.Track("shop", "CREATE TABLE blobs (raw VARBINARY(8) NOT NULL, PRIMARY KEY (raw))");
        var lower = Keys(table, ["abc"u8.ToArray()]);
        Assert.Equal(lower, Keys(table, ["abc"u8.ToArray()]));
        Assert.NotEqual(lower, Keys(table, ["ABC"u8.ToArray()]));
    }

    [Fact]
    public void A_unique_key_with_a_null_part_is_no_key()
    {
        var keys = Keys(Orders, [1, null, "first", null]);
        Assert.Equal(Keys(Orders, [1, "A-1", null, null])[0], Assert.Single(keys)); // only the primary key
        var multi = TableEvents.Track("shop", "CREATE TABLE pairs (a INT, b INT, UNIQUE KEY uk (a, b))");
        Assert.Equal([Target], Keys(multi, [1, null])); // no usable key: the table itself
        Assert.NotEqual([Target], Keys(multi, [1, 2]));
    }

    [Fact]
    public void A_table_without_keys_is_keyed_on_itself_so_its_changes_keep_their_order()
    {
        var table = TableEvents.Track("shop", "CREATE TABLE log (at INT, message VARCHAR(100))");
        Assert.Equal([Target], Keys(table, [1, "one"]));
        Assert.Equal([Target], Keys(table, [2, "two"]));
    }

    [Fact]
    public void No_image_no_key()
    {
        Assert.Empty(Keys(Orders, null));
    }

    [Fact]
    public void Numbers_key_by_their_invariant_text()
    {
        var table = TableEvents.Track("shop", "CREATE TABLE prices (amount DECIMAL(10,2) NOT NULL, PRIMARY KEY (amount))");
        var index = table.PrimaryKey!;
        Assert.Equal(CausalityKeys.Of(Target, index, table, [1.5m]), CausalityKeys.Of(Target, index, table, [1.5m]));
        Assert.NotEqual(CausalityKeys.Of(Target, index, table, [1.5m]), CausalityKeys.Of(Target, index, table, [15m]));
        Assert.Null(CausalityKeys.Of(Target, index, table, [null]));
        Assert.Null(CausalityKeys.Of(Target, index, table, [])); // the row lacks the column
    }
}
