using Dm.Worker.Units;

namespace Dm.Worker.Tests.Sync.Fidelity;

/// <summary>
/// A value the target would narrow (its column is shorter or smaller than the upstream's) stops Sync and Load with DM's
/// 10006 naming the table, the column and, for Sync, the upstream transaction's position, instead of a truncated value
/// nobody hears of. What a non-strict upstream legitimately holds (zero dates, zero date parts, unchecked days, values it
/// truncated itself) still replicates as it is.
/// </summary>
[Collection(SyncCollection.Name)]
public sealed class NarrowedValueTests(SyncServersFixture fx)
{
    private static async Task<string?> RowsAsync(Dm.TestKit.MariaDbServer server) => Convert.ToString(await server.ScalarAsync(
        "SELECT GROUP_CONCAT(CONCAT_WS('|', id, CAST(d AS CHAR), CAST(dt AS CHAR), IFNULL(CAST(ts AS CHAR), 'null'), IFNULL(v, 'null'), " +
        "IFNULL(n, 'null'), IFNULL(CONCAT('[', e, ']'), 'null')) ORDER BY id SEPARATOR ' / ') FROM zero1.t"));


    [Fact]
    public async Task A_value_too_long_for_the_target_column_stops_sync_naming_table_column_and_position()
    {
        await fx.Source.ExecuteAsync("CREATE DATABASE narrow1; CREATE TABLE narrow1.t (id INT PRIMARY KEY, v VARCHAR(20), n INT)");
        await fx.Target.ExecuteAsync("CREATE DATABASE narrow1; CREATE TABLE narrow1.t (id INT PRIMARY KEY, v VARCHAR(5), n TINYINT)");
        var start = await fx.MasterPositionAsync();
        await fx.Source.ExecuteAsync("INSERT INTO narrow1.t VALUES (1, 'short', 1)");
        await fx.Source.ExecuteAsync("INSERT INTO narrow1.t VALUES (2, 'much too long', 2)");
        await fx.Source.ExecuteAsync("INSERT INTO narrow1.t VALUES (3, 'fine', 3)");

        var unit = fx.Unit("t_narrow", start, ["narrow1"], c => c.Syncer.WorkerCount = 1);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var result = await unit.ProcessAsync(timeout.Token);
        Assert.True(result.Outcome == UnitOutcome.Failed, $"the run did not stop on the narrowed value: {result.Outcome}");
        Assert.Equal(10006, result.Error!.Error.Code);
        Assert.False(result.Resumable);
        var message = result.Error.Message;
        Assert.Contains("`narrow1`.`t`", message);
        Assert.Contains("'v'", message);
        Assert.Contains("mysql-bin.", message);
        Assert.Equal(0L, Convert.ToInt64(await fx.Target.ScalarAsync("SELECT COUNT(*) FROM narrow1.t WHERE id >= 2")));
        Assert.Equal(0L, Convert.ToInt64(await fx.Target.ScalarAsync("SELECT COUNT(*) FROM narrow1.t WHERE v <> 'short' AND id = 1")));

        // Widened by the operator, the run goes on with the exact values.
        await fx.Target.ExecuteAsync("ALTER TABLE narrow1.t MODIFY v VARCHAR(20), MODIFY n INT");
        await fx.CatchUpAsync(unit);
        await fx.AssertSameAsync(("narrow1", "t"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_value_too_large_for_the_target_column_stops_the_full_copy_naming_table_and_column(bool streaming)
    {
        var schema = streaming ? "narrow_ld_s" : "narrow_ld_f";
        await fx.Source.ExecuteAsync($"CREATE DATABASE {schema}; CREATE TABLE {schema}.t (id INT PRIMARY KEY, n INT, v VARCHAR(20))");
        await fx.Source.ExecuteAsync($"INSERT INTO {schema}.t VALUES (1, 1, 'a'), (2, 300, 'b'), (3, 3, 'c')");
        await fx.Target.ExecuteAsync($"CREATE DATABASE {schema}; CREATE TABLE {schema}.t (id INT PRIMARY KEY, n TINYINT, v VARCHAR(20))");

        var (dump, load) = fx.FullCopy("t_" + schema, [schema], streaming);
        await dump.InitAsync(CancellationToken.None);
        await load.InitAsync(CancellationToken.None);
        var dumped = dump.ProcessAsync(CancellationToken.None);
        if (!streaming) await dumped; // files first, then their load
        var loaded = await load.ProcessAsync(CancellationToken.None);
        await dumped;
        Assert.True(loaded.Outcome == UnitOutcome.Failed, $"the copy did not stop on the narrowed value: {loaded.Outcome}");
        Assert.True(loaded.Error!.Message.Contains("'n'"), loaded.Error.Message);
        Assert.Contains($"`{schema}`.`t`", loaded.Error.Message);
        Assert.Equal(0L, Convert.ToInt64(await fx.Target.ScalarAsync($"SELECT COUNT(*) FROM {schema}.t WHERE n = 127")));
    }

    [Fact]
    public async Task Zero_dates_and_values_a_non_strict_upstream_truncated_itself_replicate_as_they_are()
    {
        const string Table = "(id INT PRIMARY KEY, d DATE, dt DATETIME, ts TIMESTAMP NULL, v VARCHAR(3), n TINYINT, e ENUM('a','b'))";
        await fx.CreateBothAsync("CREATE DATABASE zero1");
        await fx.CreateBothAsync("CREATE TABLE zero1.t " + Table);
        var start = await fx.MasterPositionAsync();
        await fx.UpstreamAsync(
            "SET SESSION sql_mode = 'ALLOW_INVALID_DATES'",
            """
                INSERT INTO zero1.t VALUES
                  (1, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', 'abcdef', 1000, 'zz'),
                  (2, '2020-00-15', '2020-05-00 10:00:00', NULL, 'xy', -1000, 'b'),
                  (3, '2021-02-31', '2021-04-31 23:59:59', '2021-01-01 00:00:00', NULL, NULL, NULL)
                """,
            "UPDATE zero1.t SET d = '0000-00-00', v = 'longer' WHERE id = 3");
        var unit = fx.Unit("t_zero", start, ["zero1"]);
        await fx.CatchUpAsync(unit);
        Assert.Equal(await RowsAsync(fx.Source), await RowsAsync(fx.Target));
        await fx.AssertSameAsync(("zero1", "t"));
        Assert.Equal("0000-00-00", Convert.ToString(await fx.Target.ScalarAsync("SELECT CAST(d AS CHAR) FROM zero1.t WHERE id = 1")));

        // The full copy of the same rows, streamed and through files. An empty ENUM value is the one thing a non-strict upstream
        // holds that the copy refuses (its strict sessions and LOAD DATA's warnings cannot tell it from a narrowed value).
        await fx.Source.ExecuteAsync("UPDATE zero1.t SET e = NULL WHERE e = ''");
        foreach (var streaming in new[] { true, false })
        {
            await fx.Target.ExecuteAsync("TRUNCATE TABLE zero1.t");
            var (dump, load) = fx.FullCopy("t_zero_copy" + (streaming ? "_s" : "_f"), ["zero1"], streaming);
            await UnitDriver.RunToEndAsync(dump);
            await UnitDriver.RunToEndAsync(load);
            Assert.Equal(await RowsAsync(fx.Source), await RowsAsync(fx.Target));
            await fx.AssertSameAsync(("zero1", "t"));
        }
    }
}
