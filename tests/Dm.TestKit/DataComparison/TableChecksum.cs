using System.Globalization;
using MySqlConnector;

using Xunit;

namespace Dm.TestKit.DataComparison;

/// <summary>
/// Row count plus two order-independent checksums over every column's exact bytes (HEX of the binary value,
/// a marker for NULL). A sum — not an XOR — so duplicated rows change it.
/// </summary>
public sealed record TableChecksum(long Rows, decimal CrcSum, decimal Md5Sum)
{
    public static Task<TableChecksum> ComputeAsync(MySqlConnection connection, string schema, string table) =>
        ComputeAsync(connection, schema, table, null, null);

    /// <summary>The checksum over <paramref name="only"/> columns (every column when null) of the rows <paramref name="where"/> selects.</summary>
    public static async Task<TableChecksum> ComputeAsync(MySqlConnection connection, string schema, string table, IReadOnlyList<string>? only, string? where)
    {
        var columns = new List<string>();
        await using (var command = new MySqlCommand(
            "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA=@s AND TABLE_NAME=@t ORDER BY ORDINAL_POSITION", connection))
        {
            command.Parameters.AddWithValue("@s", schema);
            command.Parameters.AddWithValue("@t", table);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) columns.Add(reader.GetString(0));
        }
        if (columns.Count == 0)
            throw new InvalidOperationException($"table {schema}.{table} does not exist");
        if (only is not null) columns = only.ToList();
        var row = "CONCAT_WS(',', " + string.Join(", ", columns.Select(c => $"IFNULL(HEX(CAST({Q(c)} AS BINARY)), '~')")) + ")";
        var sql = $"SELECT COUNT(*), IFNULL(SUM(CRC32({row})), 0), IFNULL(SUM(CAST(CONV(SUBSTR(MD5({row}), 1, 12), 16, 10) AS UNSIGNED)), 0) FROM {Q(schema)}.{Q(table)}" + (where is null ? "" : $" WHERE {where}");
        await using var sum = new MySqlCommand(sql, connection);
        await using var r = await sum.ExecuteReaderAsync();
        await r.ReadAsync();
        return new TableChecksum(r.GetInt64(0), Convert.ToDecimal(r.GetValue(1), CultureInfo.InvariantCulture), Convert.ToDecimal(r.GetValue(2), CultureInfo.InvariantCulture));
    }

    /// <summary>The checksum of the union of two tables without common rows (shards merged into one table).</summary>
    public static TableChecksum operator +(TableChecksum a, TableChecksum b) => new(a.Rows + b.Rows, a.CrcSum + b.CrcSum, a.Md5Sum + b.Md5Sum);

    private static string Q(string name) => "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";
}
