using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Tests.Sync;

/// <summary>
/// The Sync unit against real servers: every change kind, DDL, large transactions, and pauses at random
/// moments without safe mode — a change applied twice would fail (duplicate key) or show in the checksums.
/// </summary>
[Collection(SyncCollection.Name)]
public sealed class SyncUnitTests(SyncServersFixture fx)
{
    private const string Types = """
        (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, i8 TINYINT, u8 TINYINT UNSIGNED, u32 INT UNSIGNED, u64 BIGINT UNSIGNED,
         d DECIMAL(30,10), f FLOAT, g DOUBLE, bits BIT(12), y YEAR, dt DATE, tm TIME(3), dtm DATETIME(6), ts TIMESTAMP(2) NULL,
         c CHAR(10), vc VARCHAR(200) CHARACTER SET utf8mb4, lt VARCHAR(20) CHARACTER SET latin1, bin VARBINARY(20), bl MEDIUMBLOB,
         e ENUM('a','b','c'), st SET('x','y','z'), j JSON, uk VARCHAR(30), UNIQUE KEY (uk))
        """;

    [Fact]
    public async Task Every_change_kind_and_ddl_reaches_the_target()
    {
        await fx.CreateBothAsync("CREATE DATABASE s1");
        await fx.CreateBothAsync("CREATE TABLE s1.types " + Types);
        await fx.CreateBothAsync("CREATE TABLE s1.nokey (a INT, b VARCHAR(10))");
        var start = await fx.MasterPositionAsync();

        await using (var up = await fx.Source.OpenAsync())
        {
            await Exec(up, """
                INSERT INTO s1.types VALUES
                 (1, -128, 255, 4294967295, 18446744073709551615, -12345678901234567890.0123456789, 1.5, -2.25e100, b'101010101010', 2155,
                  '2024-02-29', '-838:59:59.000', '2024-01-02 03:04:05.123456', '2038-01-19 03:14:07.99', 'abc', '😀 ünï', 'café', 0x00FF10, REPEAT('x', 70000),
                  'b', 'x,z', '{"k": [1, "two", null]}', 'u1'),
                 (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '0000-00-00', NULL, '0000-00-00 00:00:00', NULL, NULL, NULL, NULL, NULL, NULL,
                  NULL, NULL, NULL, 'u2')
                """);
            await Exec(up, "INSERT INTO s1.nokey VALUES (1,'a'),(1,'a'),(2,NULL)");
            await Exec(up, "START TRANSACTION; UPDATE s1.types SET id = 10, vc = 'moved' WHERE id = 1; UPDATE s1.types SET uk = 'u1' WHERE id = 2 AND 0; DELETE FROM s1.nokey WHERE a = 1 LIMIT 1; COMMIT");
            await Exec(up, "UPDATE s1.nokey SET b = 'z' WHERE a = 2");
            await Exec(up, "ALTER TABLE s1.types ADD COLUMN extra INT NOT NULL DEFAULT 7 AFTER i8, DROP COLUMN f");
            await Exec(up, "INSERT INTO s1.types (id, extra, uk) VALUES (3, 9, 'u3')");
            await Exec(up, "CREATE TABLE s1.fresh (k INT PRIMARY KEY, v TEXT)");
            await Exec(up, "INSERT INTO s1.fresh VALUES (1, 'one'), (2, 'two')");
            await Exec(up, "RENAME TABLE s1.fresh TO s1.renamed");
            await Exec(up, "UPDATE s1.renamed SET v = 'deux' WHERE k = 2");
            await Exec(up, "CREATE TABLE s1.gone (k INT PRIMARY KEY)");
            await Exec(up, "INSERT INTO s1.gone VALUES (1)");
            await Exec(up, "DROP TABLE s1.gone");
            await Exec(up, "CREATE TABLE s1.trunc (k INT PRIMARY KEY)");
            await Exec(up, "INSERT INTO s1.trunc VALUES (1), (2)");
            await Exec(up, "TRUNCATE TABLE s1.trunc");
            await Exec(up, "INSERT INTO s1.trunc VALUES (3)");
            await Exec(up, "CREATE TABLE s1.big (k INT PRIMARY KEY, v VARCHAR(20))");
            await Exec(up, "INSERT INTO s1.big SELECT seq, CONCAT('v', seq) FROM s1.seq_1_to_3000");
            await Exec(up, "START TRANSACTION; UPDATE s1.big SET v = CONCAT(v, '!') WHERE k % 2 = 0; DELETE FROM s1.big WHERE k % 3 = 0; COMMIT");
        }

        var unit = fx.Unit("t_kinds", start, ["s1"], largeRows: 1000);
        await fx.CatchUpAsync(unit);
        await fx.AssertSameAsync(("s1", "types"), ("s1", "nokey"), ("s1", "renamed"), ("s1", "trunc"), ("s1", "big"));
        Assert.Equal(0L, Convert.ToInt64(await fx.Target.ScalarAsync(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='s1' AND TABLE_NAME IN ('fresh','gone')")));
        Assert.Contains("extra", unit.GetCreateTable("s1", "types"));
    }

    [Fact]
    public async Task Random_pauses_without_safe_mode_neither_lose_nor_repeat_a_change()
    {
        await fx.CreateBothAsync("CREATE DATABASE s2");
        await fx.CreateBothAsync("CREATE TABLE s2.acc (id INT PRIMARY KEY, n INT NOT NULL, u INT, UNIQUE KEY (u))");
        var start = await fx.MasterPositionAsync();
        using var stop = new CancellationTokenSource();
        var workload = Task.Run(async () =>
        {
            var random = new Random(5);
            await using var up = await fx.Source.OpenAsync();
            for (var i = 0; i < 1500; i++)
            {
                var id = random.Next(1, 300);
                var sql = random.Next(4) switch
                {
                    0 => $"INSERT INTO s2.acc (id, n) VALUES ({id}, 1) ON DUPLICATE KEY UPDATE n = n + 1",
                    1 => $"UPDATE IGNORE s2.acc SET n = n + 1, u = IF(u IS NULL, {id}, NULL) WHERE id = {id}",
                    2 => $"DELETE FROM s2.acc WHERE id = {id}",
                    _ => $"START TRANSACTION; INSERT IGNORE INTO s2.acc (id, n) VALUES ({id + 1000}, 0); UPDATE IGNORE s2.acc SET id = id + 2000 WHERE id = {id}; COMMIT",
                };
                await Exec(up, sql);
                if (i == 700) await Exec(up, "ALTER TABLE s2.acc ADD COLUMN note VARCHAR(10) DEFAULT 'n'");
            }
        });
        var unit = fx.Unit("t_pauses", start, ["s2"]);
        var random = new Random(9);
        var pauses = 0;
        // At least six pauses however fast the workload ends: later ones interrupt the catch-up instead.
        while (!workload.IsCompleted || pauses < 6)
        {
            using var cts = new CancellationTokenSource(random.Next(100, 700));
            var result = await unit.ProcessAsync(cts.Token);
            Assert.True(result.Outcome == UnitOutcome.Paused, $"{result.Outcome} {result.Error?.Message}");
            pauses++;
        }
        await workload;
        // A fresh unit (a crashed worker's successor) finishes from what the target recorded.
        await fx.CatchUpAsync(fx.Unit("t_pauses", start, ["s2"]));
        Assert.True(pauses >= 3, $"only {pauses} pauses");
        await fx.AssertSameAsync(("s2", "acc"));
    }

    [Fact]
    public async Task A_ddl_the_target_refuses_pauses_with_the_statement_until_replaced()
    {
        await fx.CreateBothAsync("CREATE DATABASE s3");
        await fx.CreateBothAsync("CREATE TABLE s3.t (id INT PRIMARY KEY)");
        await fx.Target.ExecuteAsync("ALTER TABLE s3.t ADD INDEX c_idx (id)"); // the target already has the index: the DDL fails there
        var start = await fx.MasterPositionAsync();
        await fx.Source.ExecuteAsync("INSERT INTO s3.t VALUES (0)"); // the refused DDL is not the first statement after start
        await fx.Source.ExecuteAsync("ALTER TABLE s3.t ADD INDEX c_idx (id), ADD COLUMN d INT");
        await fx.Source.ExecuteAsync("INSERT INTO s3.t VALUES (1, 3)");

        var unit = fx.Unit("t_refused", start, ["s3"]);
        var result = await unit.ProcessAsync(CancellationToken.None);
        Assert.Equal(UnitOutcome.Failed, result.Outcome);
        Assert.False(result.Resumable);
        Assert.Contains("ALTER TABLE s3.t ADD INDEX c_idx (id), ADD COLUMN d INT", result.Error!.Message);
        Assert.Contains("mysql-bin.", result.Error.Message);
        Assert.Equal(1L, Convert.ToInt64(await fx.Target.ScalarAsync("SELECT COUNT(*) FROM s3.t")));

        // Resuming alone meets the same refusal: nothing after the DDL is applied until the user acts.
        var again = await unit.ProcessAsync(CancellationToken.None);
        Assert.Equal(UnitOutcome.Failed, again.Outcome);
        Assert.Equal(1L, Convert.ToInt64(await fx.Target.ScalarAsync("SELECT COUNT(*) FROM s3.t")));
        unit.HandleError(Dm.Worker.Sync.SyncErrorOperation.Replace, null, ["ALTER TABLE s3.t ADD COLUMN d INT"]);
        await fx.CatchUpAsync(unit);
        await fx.AssertSameAsync(("s3", "t"));
    }

    [Fact]
    public async Task A_batch_the_target_refuses_part_way_leaves_none_of_it_and_resumes_exactly()
    {
        await fx.CreateBothAsync("CREATE DATABASE s4");
        await fx.CreateBothAsync("CREATE TABLE s4.t (id INT PRIMARY KEY, v INT)");
        await fx.Target.ExecuteAsync("ALTER TABLE s4.t ADD UNIQUE KEY only_target (v)");
        await fx.Target.ExecuteAsync("INSERT INTO s4.t VALUES (1000, 7)"); // a row only the target has, owning v = 7
        var start = await fx.MasterPositionAsync();
        // One upstream transaction: the rows before and after the refused one share its target transaction.
        await fx.Source.ExecuteAsync("START TRANSACTION; INSERT INTO s4.t VALUES (1, 1), (2, 2); INSERT INTO s4.t VALUES (3, 7); INSERT INTO s4.t VALUES (4, 4); COMMIT");

        var unit = fx.Unit("t_refused_dml", start, ["s4"]);
        var result = await unit.ProcessAsync(CancellationToken.None);
        Assert.Equal(UnitOutcome.Failed, result.Outcome);
        Assert.Contains("Duplicate", result.Error!.ToString());
        // Nothing of the batch stayed: the row before the refused one is not there either, and the connection is usable.
        Assert.Equal(1L, Convert.ToInt64(await fx.Target.ScalarAsync("SELECT COUNT(*) FROM s4.t")));

        await fx.Target.ExecuteAsync("DELETE FROM s4.t WHERE id = 1000");
        await fx.Target.ExecuteAsync("ALTER TABLE s4.t DROP KEY only_target");
        await fx.CatchUpAsync(unit);
        await fx.AssertSameAsync(("s4", "t"));
    }

    [Fact]
    public async Task Rows_of_routed_shards_keep_binlog_order_in_their_shared_target()
    {
        await fx.CreateBothAsync("CREATE DATABASE s5");
        await fx.Source.ExecuteAsync("CREATE TABLE s5.a (id INT PRIMARY KEY, v VARCHAR(10)); CREATE TABLE s5.b (id INT PRIMARY KEY, v VARCHAR(10))");
        await fx.Target.ExecuteAsync("CREATE TABLE s5.merged (id INT PRIMARY KEY, v VARCHAR(10))");
        var start = await fx.MasterPositionAsync();
        // One batch: row 2 moves from shard a to shard b delete-first (fine in any order), row 1 insert-first: for a moment
        // both shards hold id 1, which the merged target cannot. Applied in binlog order that is a duplicate-key error
        // (as in DM without safe mode); merged shard by shard it was a silent loss of row 1.
        await fx.Source.ExecuteAsync("INSERT INTO s5.a VALUES (1, 'a1'), (2, 'a2'), (3, 'a3'); INSERT INTO s5.b VALUES (4, 'b4')");
        await fx.Source.ExecuteAsync("START TRANSACTION; DELETE FROM s5.a WHERE id = 2; INSERT INTO s5.b VALUES (2, 'moved'); COMMIT; " +
                                     "START TRANSACTION; INSERT INTO s5.b VALUES (1, 'moved'); DELETE FROM s5.a WHERE id = 1; COMMIT");

        var unit = fx.Unit("t_shards", start, ["s5"], c => c.RouteRules =
            [new Dm.Core.Rules.RouteRule { SchemaPattern = "s5", TablePattern = "*", TargetSchema = "s5", TargetTable = "merged" }]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var result = await unit.ProcessAsync(timeout.Token);
        Assert.Equal(UnitOutcome.Failed, result.Outcome);
        Assert.Contains("Duplicate", result.Error!.ToString());
        // Writers commit unrelated keys apart, so earlier transactions may or may not be there; the colliding one is not:
        // rows 1 and 3 came in one transaction, and only the refused one removes row 1.
        var rows = new List<string>();
        await using (var target = await fx.Target.OpenAsync())
        await using (var command = new MySqlCommand("SELECT CONCAT(id, ':', v) FROM s5.merged ORDER BY id", target))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        Assert.True(rows.Contains("1:a1") == rows.Contains("3:a3"), string.Join(", ", rows));
        Assert.DoesNotContain("1:moved", rows);
    }

    [Fact]
    public async Task Each_shard_of_a_merged_target_keeps_its_own_tracked_structure()
    {
        // Issue #18 item 6: t2 was first met after t1's ALTER had reached the shared target, so the tracker loaded t2 from
        // there, with t1's column, and t2's own ALTER then failed with 44006 "duplicate column c2".
        await fx.Source.ExecuteAsync("CREATE DATABASE s6; CREATE TABLE s6.t1 (id INT PRIMARY KEY, v INT); CREATE TABLE s6.t2 (id INT PRIMARY KEY, v INT)");
        await fx.Target.ExecuteAsync("CREATE DATABASE s6; CREATE TABLE s6.merged (id INT PRIMARY KEY, v INT)");
        var start = await fx.MasterPositionAsync();
        await fx.Source.ExecuteAsync("ALTER TABLE s6.t1 ADD COLUMN c2 INT; INSERT INTO s6.t1 VALUES (1, 1, 10)");
        var unit = fx.Unit("t_shard_tracker", start, ["s6"], c =>
        {
            c.ShardMode = "pessimistic";
            c.IsSharding = true;
            c.RouteRules = [new Dm.Core.Rules.RouteRule { SchemaPattern = "s6", TablePattern = "t*", TargetSchema = "s6", TargetTable = "merged" }];
        });
        await fx.CatchUpAsync(unit); // a run ends between the two shards' DDLs: what it tracked of t2 must survive it
        await fx.Source.ExecuteAsync("ALTER TABLE s6.t2 ADD COLUMN c2 INT; INSERT INTO s6.t2 VALUES (2, 2, 20)");
        await fx.CatchUpAsync(unit);
        Assert.Equal("1:10,2:20", await fx.Target.ScalarAsync("SELECT GROUP_CONCAT(id, ':', c2 ORDER BY id) FROM s6.merged"));
        Assert.Equal(3L, Convert.ToInt64(await fx.Target.ScalarAsync(
            "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 's6' AND TABLE_NAME = 'merged'")));
    }

    private static async Task Exec(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
