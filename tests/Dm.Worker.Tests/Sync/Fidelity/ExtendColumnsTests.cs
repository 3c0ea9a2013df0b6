using Dm.Core.Rules;

namespace Dm.Worker.Tests.Sync.Fidelity;

/// <summary>
/// DM's extend columns (a route's extract-table / extract-schema / extract-source) over real servers: two upstream shards
/// with the same ids merged into one target table that has the extra columns (created by hand, as DM requires) - the full
/// copy (streamed and through files) and Sync fill them from the names, and an update or delete of one shard's row touches
/// only that shard's row in the target.
/// </summary>
[Collection(SyncCollection.Name)]
public sealed class ExtendColumnsTests(SyncServersFixture fx)
{
    private static readonly RouteRule Route = new()
    {
        SchemaPattern = "ext_*", TablePattern = "t_*", TargetSchema = "ext_merged", TargetTable = "t",
        ExtractTable = new TableExtractor("t_(.*)", "c_table"),
        ExtractSchema = new SchemaExtractor("ext_(.*)", "c_schema"),
        ExtractSource = new SourceExtractor("(.*)-source", "c_source"),
    };

    private const string MergedTable = """
        CREATE DATABASE ext_merged;
        CREATE TABLE ext_merged.t (id INT NOT NULL, v VARCHAR(20), c_table VARCHAR(10) NOT NULL, c_schema VARCHAR(10) NOT NULL,
          c_source VARCHAR(20) NOT NULL, PRIMARY KEY (id, c_table, c_schema));
        """;

    private async Task<string?> MergedRowsAsync() => Convert.ToString(await fx.Target.ScalarAsync(
        "SELECT GROUP_CONCAT(CONCAT_WS(':', id, v, c_table, c_schema, c_source) ORDER BY c_schema, c_table, id) FROM ext_merged.t"));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_full_copy_fills_the_extra_columns_from_the_names(bool streaming)
    {
        var s = streaming ? "ext_cs" : "ext_cf";
        await fx.Source.ExecuteAsync($"""
            CREATE DATABASE {s};
            CREATE TABLE {s}.t_1 (id INT PRIMARY KEY, v VARCHAR(20));
            CREATE TABLE {s}.t_2 (id INT PRIMARY KEY, v VARCHAR(20));
            INSERT INTO {s}.t_1 VALUES (1, 'o''ne'), (2, 'two)');
            INSERT INTO {s}.t_2 VALUES (1, 'uno'), (3, NULL);
            """);
        await fx.Target.ExecuteAsync("DROP DATABASE IF EXISTS ext_merged");
        await fx.Target.ExecuteAsync(MergedTable);
        var (dump, load) = fx.FullCopy("t_" + s, [s], streaming, c => c.RouteRules = [Route]);
        await UnitDriver.RunToEndAsync(dump);
        await UnitDriver.RunToEndAsync(load);
        var shard = s[4..];
        Assert.Equal($"1:o'ne:1:{shard}:sync,2:two):1:{shard}:sync,1:uno:2:{shard}:sync,3:2:{shard}:sync", await MergedRowsAsync());
    }

    [Fact]
    public async Task Sync_fills_the_extra_columns_and_changes_only_its_own_shards_rows()
    {
        await fx.CreateBothAsync("""
            CREATE DATABASE ext_a; CREATE TABLE ext_a.t_1 (id INT PRIMARY KEY, v VARCHAR(20)); CREATE TABLE ext_a.t_2 (id INT PRIMARY KEY, v VARCHAR(20));
            CREATE DATABASE ext_b; CREATE TABLE ext_b.t_1 (id INT PRIMARY KEY, v VARCHAR(20));
            """);
        await fx.Target.ExecuteAsync("DROP DATABASE IF EXISTS ext_merged");
        await fx.Target.ExecuteAsync(MergedTable);
        var start = await fx.MasterPositionAsync();
        await fx.UpstreamAsync(
            "INSERT INTO ext_a.t_1 VALUES (1, 'a1-1'), (2, 'a1-2')",
            "INSERT INTO ext_a.t_2 VALUES (1, 'a2-1'), (2, 'a2-2')",
            "INSERT INTO ext_b.t_1 VALUES (1, 'b1-1')",
            "UPDATE ext_a.t_2 SET v = 'a2-1 changed' WHERE id = 1",
            "DELETE FROM ext_a.t_1 WHERE id = 2",
            "UPDATE ext_b.t_1 SET id = 5 WHERE id = 1");
        await fx.CatchUpAsync(fx.Unit("t_ext", start, ["ext_a", "ext_b"], c => c.RouteRules = [Route]));
        Assert.Equal("1:a1-1:1:a:sync,1:a2-1 changed:2:a:sync,2:a2-2:2:a:sync,5:b1-1:1:b:sync", await MergedRowsAsync());
    }
}
