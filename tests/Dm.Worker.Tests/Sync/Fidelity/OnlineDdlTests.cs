namespace Dm.Worker.Tests.Sync.Fidelity;

/// <summary>
/// gh-ost's statement sequence (ghost, changelog and trash tables; the atomic RENAME cut-over) run on the upstream while Sync
/// replicates, with a restart between the ghost table's ALTER and the cut-over: the target table ends with the upstream's
/// new structure and rows, the tool's tables never reach it, and the recorded DDLs survive the restart in the target's
/// <c>&lt;meta&gt;.&lt;task&gt;_onlineddl</c>.
/// </summary>
[Collection(SyncCollection.Name)]
public sealed class OnlineDdlTests(SyncServersFixture fx)
{
    [Fact]
    public async Task The_gh_ost_cut_over_applies_the_ghost_ddls_to_the_real_table_across_a_restart()
    {
        await fx.CreateBothAsync("""
            CREATE DATABASE ghost1;
            CREATE TABLE ghost1.t (id INT PRIMARY KEY, a VARCHAR(20), d INT);
            INSERT INTO ghost1.t SELECT seq, CONCAT('a', seq), seq FROM ghost1.seq_1_to_50;
            """);
        var start = await fx.MasterPositionAsync();
        await fx.UpstreamAsync(
            "INSERT INTO ghost1.t VALUES (51, 'a51', 51)",
            """
                CREATE TABLE ghost1._t_ghc (id BIGINT AUTO_INCREMENT, last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
                  hint VARCHAR(64) NOT NULL, value TEXT, PRIMARY KEY (id), UNIQUE KEY hint_uidx (hint))
                """,
            "INSERT INTO ghost1._t_ghc (hint, value) VALUES ('state', 'GhostTableMigrated')",
            "CREATE TABLE ghost1._t_gho LIKE ghost1.t",
            "ALTER TABLE ghost1._t_gho ADD COLUMN c INT NOT NULL DEFAULT 7, DROP COLUMN d");
        var unit = fx.Unit("t_ghost", start, ["ghost1"]);
        await fx.CatchUpAsync(unit);
        Assert.Equal(1L, Convert.ToInt64(await fx.Target.ScalarAsync("SELECT COUNT(*) FROM dm_meta.t_ghost_onlineddl WHERE ghost_table = '_t_gho'")));
        Assert.Equal("id,a,d", Convert.ToString(await fx.Target.ScalarAsync( // the ghost's ALTER waits for the cut-over
            "SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'ghost1' AND TABLE_NAME = 't'")));

        // The row copy and the changes gh-ost applies to the ghost table from the binlog, then the cut-over.
        await fx.UpstreamAsync(
            "INSERT INTO ghost1._t_gho (id, a, c) SELECT id, a, 7 FROM ghost1.t",
            "BEGIN; UPDATE ghost1.t SET a = 'changed' WHERE id = 3; UPDATE ghost1._t_gho SET a = 'changed' WHERE id = 3; COMMIT",
            "DELETE FROM ghost1.t WHERE id = 4; DELETE FROM ghost1._t_gho WHERE id = 4",
            "INSERT INTO ghost1._t_ghc (hint, value) VALUES ('cut-over', 'AllEventsUpToLockProcessed')",
            "RENAME TABLE ghost1.t TO ghost1._t_del, ghost1._t_gho TO ghost1.t",
            "DROP TABLE IF EXISTS ghost1._t_del",
            "DROP TABLE IF EXISTS ghost1._t_ghc",
            "INSERT INTO ghost1.t (id, a, c) VALUES (1000, 'after', 9)",
            "UPDATE ghost1.t SET c = c + 1 WHERE id <= 10");
        // A new unit: what a restarted worker builds from the target (the ghost's ALTER was read by the first one only).
        await fx.CatchUpAsync(fx.Unit("t_ghost", start, ["ghost1"]));

        Assert.Equal(await ColumnsAsync(fx.Source), await ColumnsAsync(fx.Target));
        await fx.AssertSameAsync(("ghost1", "t"));
        Assert.Equal(0L, Convert.ToInt64(await fx.Target.ScalarAsync(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'ghost1' AND TABLE_NAME <> 't'")));
        Assert.Equal(0L, Convert.ToInt64(await fx.Target.ScalarAsync("SELECT COUNT(*) FROM dm_meta.t_ghost_onlineddl")));
    }

    private static async Task<string?> ColumnsAsync(Dm.TestKit.MariaDbServer server) => Convert.ToString(await server.ScalarAsync(
        "SELECT GROUP_CONCAT(CONCAT_WS(' ', COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, IFNULL(COLUMN_DEFAULT, 'none')) ORDER BY ORDINAL_POSITION) " +
        "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'ghost1' AND TABLE_NAME = 't'"));

}
