using Dm.TestKit;
using Dm.TestKit.DataComparison;
using MySqlConnector;

namespace Dm.IntegrationTests;

/// <summary>
/// The data of a shard-merge test on a <see cref="TwoSourceCluster"/>: four shards (<c>t1</c>, <c>t2</c> on each source) of one
/// schema, seeded with disjoint ids, a workload writing every shard, and the comparison of the merged target table with the
/// union of the shards (rows by checksum, structure by columns).
/// </summary>
public sealed class ShardMergeData(TwoSourceCluster cluster)
{
    public static readonly string[] Shards = ["t1", "t2"];
    public static readonly (int Source, string Shard)[] AllShards = [(1, "t1"), (1, "t2"), (2, "t1"), (2, "t2")];

    /// <summary>Shard <c>tN</c> of source <c>s</c> holds ids from <c>(s * 2 + N) * 1_000_000</c>.</summary>
    public static long Base(int source, string shard) => (source * 2 + (shard == "t1" ? 1 : 2)) * 1_000_000L;

    public MariaDbServer Upstream(int source) => source == 1 ? cluster.Upstream1 : cluster.Upstream2;

    public static string SourceName(int source) => source == 1 ? TwoSourceCluster.Source1 : TwoSourceCluster.Source2;

    /// <summary>Every shard created with 300 rows.</summary>
    public async Task SeedAsync(string schema)
    {
        foreach (var (source, shard) in AllShards)
            await Upstream(source).ExecuteAsync($"""
                CREATE DATABASE IF NOT EXISTS `{schema}`;
                CREATE TABLE `{schema}`.`{shard}` (id BIGINT PRIMARY KEY, v INT NOT NULL, note VARCHAR(50));
                INSERT INTO `{schema}`.`{shard}` SELECT {Base(source, shard)} + seq, seq, CONCAT('seed ', seq) FROM `{schema}`.seq_1_to_300;
                """);
    }

    /// <summary>Inserts into and updates every shard until cancelled; returns how many rounds ran.</summary>
    public async Task<int> WorkloadAsync(string schema, CancellationToken stop)
    {
        await using var c1 = await cluster.Upstream1.OpenAsync();
        await using var c2 = await cluster.Upstream2.OpenAsync();
        var rounds = 0;
        for (var i = 1; !stop.IsCancellationRequested; i++)
        {
            foreach (var (source, connection) in new[] { (1, c1), (2, c2) })
                foreach (var shard in Shards)
                {
                    await using var command = new MySqlCommand(
                        $"INSERT INTO `{schema}`.`{shard}` (id, v) VALUES ({Base(source, shard) + 100_000 + i}, {i}); " +
                        $"UPDATE `{schema}`.`{shard}` SET v = v + 1 WHERE id = {Base(source, shard) + 1 + i % 300}", connection);
                    await command.ExecuteNonQueryAsync(CancellationToken.None);
                }
            rounds++;
            try { await Task.Delay(15, stop); } catch (OperationCanceledException) { }
        }
        return rounds;
    }

    public static async Task<TableChecksum> ChecksumAsync(MariaDbServer server, string schema, string table)
    {
        await using var connection = await server.OpenAsync();
        return await TableChecksum.ComputeAsync(connection, schema, table);
    }

    /// <summary>The columns of a table with their types and defaults, in order.</summary>
    public static async Task<string> ColumnsAsync(MariaDbServer server, string schema, string table) =>
        (string)(await server.ScalarAsync(
            $"SELECT GROUP_CONCAT(CONCAT(COLUMN_NAME, ' ', COLUMN_TYPE, ' ', IFNULL(COLUMN_DEFAULT, '-')) ORDER BY ORDINAL_POSITION) " +
            $"FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '{schema}' AND TABLE_NAME = '{table}'"))!;

    /// <summary>Waits until <c>targetSchema.merged</c> holds the union of the four shards, with their structure (fails on a task error).</summary>
    public async Task WaitForUnionAsync(string task, string schema, string targetSchema, TimeSpan timeout)
    {
        TableChecksum? expected = null, actual = null;
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var statuses = await cluster.StatusesAsync(task);
            var failed = statuses.Values.FirstOrDefault(s => s["error_msg"]?.GetValue<string>() is { Length: > 0 });
            if (failed != null) Assert.Fail($"task {task} failed: {failed.ToJsonString()}");
            expected = null;
            foreach (var (source, shard) in AllShards)
            {
                var sum = await ChecksumAsync(Upstream(source), schema, shard);
                expected = expected is null ? sum : expected + sum;
            }
            try { actual = await ChecksumAsync(cluster.Target, targetSchema, "merged"); }
            catch (InvalidOperationException) { actual = null; }
            if (actual == expected) break;
            await Task.Delay(250);
        }
        Assert.True(actual == expected, $"{targetSchema}.merged: expected {expected}, target {actual}");
        var upstreamColumns = await ColumnsAsync(cluster.Upstream1, schema, "t1");
        foreach (var (source, shard) in AllShards)
            Assert.Equal(upstreamColumns, await ColumnsAsync(Upstream(source), schema, shard));
        Assert.Equal(upstreamColumns, await ColumnsAsync(cluster.Target, targetSchema, "merged"));
    }
}
