using Dm.Core.Config;
using Dm.Worker.Units;

namespace Dm.Worker.Tests.Sync.Fidelity;

/// <summary>
/// DM's expression filters in Sync over a real binlog: inserts dropped by insert-value-expr, updates by the old and new
/// values together, deletes by delete-value-expr (other tables and other kinds of change untouched); a filter naming a
/// column the table lacks stops Sync with DM's 20041.
/// </summary>
[Collection(SyncCollection.Name)]
public sealed class ExpressionFilterTests(SyncServersFixture fx)
{
    private static ExpressionFilter Filter(string table, string insert = "", string updateOld = "", string updateNew = "", string delete = "") => new()
    {
        Schema = "exprf", Table = table, InsertValueExpr = insert, UpdateOldValueExpr = updateOld, UpdateNewValueExpr = updateNew, DeleteValueExpr = delete,
    };

    [Fact]
    public async Task Row_changes_the_expressions_hold_for_are_not_replicated()
    {
        await fx.CreateBothAsync("""
            CREATE DATABASE exprf;
            CREATE TABLE exprf.t (id INT PRIMARY KEY, c INT, b VARCHAR(20), dt DATETIME);
            CREATE TABLE exprf.u (id INT PRIMARY KEY, c INT);
            INSERT INTO exprf.u VALUES (1, 1), (2, 1), (3, 3);
            CREATE TABLE exprf.d (id INT PRIMARY KEY, b VARCHAR(20));
            INSERT INTO exprf.d VALUES (1, 'Keep-1'), (2, 'drop-1'), (3, NULL);
            """);
        var start = await fx.MasterPositionAsync();
        await fx.UpstreamAsync(
            "INSERT INTO exprf.t SELECT seq, seq, CONCAT('b', seq), TIMESTAMP('2020-12-30') + INTERVAL seq DAY FROM exprf.seq_1_to_6",
            "INSERT INTO exprf.t VALUES (7, NULL, 'muller', '2021-06-01'), (8, 9, 'MÜLLER', '2021-06-01')",
            "UPDATE exprf.t SET c = c + 10 WHERE id IN (1, 3)",
            "UPDATE exprf.u SET c = 2 WHERE id = 1",
            "UPDATE exprf.u SET c = 5 WHERE id = 2",
            "UPDATE exprf.u SET c = 2 WHERE id = 3",
            "DELETE FROM exprf.d");

        var unit = fx.Unit("t_exprf", start, ["exprf"], c => c.ExpressionFilters =
        [
            Filter("t", insert: "c % 2 = 0 OR (YEAR(dt) = 2021 AND b = 'Müller')"),
            Filter("u", updateOld: "c = 1", updateNew: "c = 2"),
            Filter("d", delete: "b LIKE 'keep%'"),
        ]);
        await fx.CatchUpAsync(unit);

        // t: even c and Müller (any case, as utf8mb4_general_ci compares) of 2021 never arrive; updates of kept rows do.
        Assert.Equal("1:11,3:13,5:5,7:null", await fx.Target.ScalarAsync(
            "SELECT GROUP_CONCAT(CONCAT(id, ':', IFNULL(c, 'null')) ORDER BY id) FROM exprf.t"));
        Assert.Equal("1:1,2:5,3:2", await fx.Target.ScalarAsync("SELECT GROUP_CONCAT(CONCAT(id, ':', c) ORDER BY id) FROM exprf.u"));
        Assert.Equal("1", Convert.ToString(await fx.Target.ScalarAsync("SELECT GROUP_CONCAT(id ORDER BY id) FROM exprf.d")));
    }

    [Fact]
    public async Task A_filter_naming_a_column_the_table_lacks_stops_sync_with_20041()
    {
        await fx.CreateBothAsync("CREATE DATABASE exprf2; CREATE TABLE exprf2.t (id INT PRIMARY KEY, c INT)");
        var start = await fx.MasterPositionAsync();
        await fx.UpstreamAsync("INSERT INTO exprf2.t VALUES (1, 1)");
        var unit = fx.Unit("t_exprf2", start, ["exprf2"], c => c.ExpressionFilters =
            [new ExpressionFilter { Schema = "exprf2", Table = "t", InsertValueExpr = "no_such_column > 1" }]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var result = await unit.ProcessAsync(timeout.Token);
        Assert.True(result.Outcome == UnitOutcome.Failed, $"sync did not stop: {result.Outcome}");
        Assert.Equal(20041, result.Error!.Error.Code);
        Assert.Contains("no_such_column", result.Error.Message);
        Assert.Equal(0L, Convert.ToInt64(await fx.Target.ScalarAsync("SELECT COUNT(*) FROM exprf2.t")));
    }
}
