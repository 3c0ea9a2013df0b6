using Dm.Worker.Sync;
using Dm.Worker.Units;

namespace Dm.Worker.Tests.Sync.Fidelity;

/// <summary>
/// Row changes written with binlog_format MIXED or STATEMENT: a DML statement in a query event on a replicated table stops
/// the run with DM's 36014 before anything of its transaction is applied, and the rows already read of that transaction
/// are never dropped; one on a table the task does not replicate is passed over, as DM does.
/// </summary>
[Collection(SyncCollection.Name)]
public sealed class StatementFormatTests(SyncServersFixture fx)
{
    [Fact]
    public async Task A_statement_logged_dml_stops_the_run_with_36014_and_keeps_the_transactions_rows()
    {
        await fx.CreateBothAsync("CREATE DATABASE stmt1");
        await fx.CreateBothAsync("CREATE TABLE stmt1.t (id INT PRIMARY KEY, v VARCHAR(40))");
        var start = await fx.MasterPositionAsync();
        // UUID() is unsafe for statement logging: MIXED logs the first insert as rows, the second as a statement.
        await fx.UpstreamAsync(
            "SET SESSION binlog_format = 'MIXED'",
            "BEGIN; INSERT INTO stmt1.t VALUES (1, UUID()); INSERT INTO stmt1.t VALUES (2, 'statement'); COMMIT",
            "SET SESSION binlog_format = 'ROW'",
            "INSERT INTO stmt1.t VALUES (3, 'after')");

        var unit = fx.Unit("t_stmt", start, ["stmt1"]);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            var result = await unit.ProcessAsync(timeout.Token);
            Assert.True(result.Outcome == UnitOutcome.Failed, $"the run did not stop on the statement: {result.Outcome}");
            Assert.Equal(36014, result.Error!.Error.Code);
            Assert.Contains("INSERT INTO stmt1.t VALUES (2, 'statement')", result.Error.Message);
            Assert.Contains("mysql-bin.", result.Error.Message);
        }
        Assert.Equal(0L, Convert.ToInt64(await fx.Target.ScalarAsync("SELECT COUNT(*) FROM stmt1.t")));

        // The operator skips the statement: the transaction's row event still arrives, and what followed it.
        unit.HandleError(SyncErrorOperation.Skip, null, []);
        await fx.CatchUpAsync(unit);
        Assert.Equal("1,3", await fx.Target.ScalarAsync("SELECT GROUP_CONCAT(id ORDER BY id) FROM stmt1.t"));
    }

    [Fact]
    public async Task A_statement_logged_dml_on_a_table_not_replicated_passes_and_the_transactions_rows_arrive()
    {
        await fx.CreateBothAsync("CREATE DATABASE stmt2");
        await fx.CreateBothAsync("CREATE TABLE stmt2.t (id INT PRIMARY KEY, v VARCHAR(40))");
        await fx.Source.ExecuteAsync("CREATE DATABASE stmt2_other; CREATE TABLE stmt2_other.log (id INT PRIMARY KEY)");
        var start = await fx.MasterPositionAsync();
        await fx.UpstreamAsync(
            "SET SESSION binlog_format = 'MIXED'",
            "BEGIN; INSERT INTO stmt2.t VALUES (1, UUID()); INSERT INTO stmt2_other.log VALUES (1); INSERT INTO stmt2.t VALUES (2, UUID()); COMMIT",
            "BEGIN; INSERT INTO stmt2_other.log VALUES (2); INSERT INTO stmt2.t VALUES (3, UUID()); COMMIT");
        var unit = fx.Unit("t_stmt_other", start, ["stmt2"]);
        await fx.CatchUpAsync(unit);
        await fx.AssertSameAsync(("stmt2", "t"));
        Assert.Equal(3L, Convert.ToInt64(await fx.Target.ScalarAsync("SELECT COUNT(*) FROM stmt2.t")));
    }

}
