using MySqlConnector;

using Xunit;

namespace Dm.TestKit.DataComparison;

/// <summary>Compares migrated tables: same rows (checksum of every column) and same SHOW CREATE TABLE, modulo the routed name.</summary>
public static class MigrationComparer
{
    public static async Task AssertSameAsync(MySqlConnection source, MySqlConnection target,
        IEnumerable<((string Schema, string Table) From, (string Schema, string Table) To)> tables)
    {
        foreach (var (from, to) in tables)
        {
            var expected = await TableChecksum.ComputeAsync(source, from.Schema, from.Table);
            var actual = await TableChecksum.ComputeAsync(target, to.Schema, to.Table);
            Assert.True(expected == actual, $"{from.Schema}.{from.Table} -> {to.Schema}.{to.Table}: source {expected}, target {actual}");
            Assert.Equal(WithoutName(await ShowCreateAsync(source, from)), WithoutName(await ShowCreateAsync(target, to)));
        }
    }

    public static async Task<string> ShowCreateAsync(MySqlConnection connection, (string Schema, string Table) table)
    {
        await using var command = new MySqlCommand($"SHOW CREATE TABLE `{table.Schema.Replace("`", "``")}`.`{table.Table.Replace("`", "``")}`", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return reader.GetString(1);
    }

    /// <summary>Everything after the first "(": the table definition without its name.</summary>
    private static string WithoutName(string createTable) => createTable[createTable.IndexOf("` (", StringComparison.Ordinal)..];
}
