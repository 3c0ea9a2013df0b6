using System.Globalization;
using System.Text.RegularExpressions;
using Dm.TestKit;
using MySqlConnector;

namespace Dm.Bench.Sync;

/// <summary>A binlog file and offset, ordered as the upstream writes them (file names sort by their sequence number).</summary>
internal sealed partial record BinlogCoordinates(string File, long Position) : IComparable<BinlogCoordinates>
{
    public int CompareTo(BinlogCoordinates? other)
    {
        if (other is null) return 1;
        var byFile = string.CompareOrdinal(File, other.File);
        return byFile != 0 ? byFile : Position.CompareTo(other.Position);
    }

    public override string ToString() => $"{File}:{Position}";

    /// <summary>The upstream's current write position.</summary>
    public static async Task<BinlogCoordinates> ReadMasterStatusAsync(MariaDbServer server, CancellationToken cancellationToken)
    {
        await using var connection = await server.OpenAsync(cancellationToken: cancellationToken);
        await using var command = new MySqlCommand("SHOW MASTER STATUS", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) throw new InvalidOperationException("SHOW MASTER STATUS is empty: is the binlog on?");
        return new BinlogCoordinates(reader.GetString(0), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// DM's status form <c>(mysql-bin.000002, 1234)</c>, also in DM's relay form <c>(mysql-bin|000001.000002, 1234)</c> (a task
    /// reading the relay log), as the upstream's file; null when empty or otherwise shaped.
    /// </summary>
    public static BinlogCoordinates? ParseDmStatus(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var match = DmStatusPattern().Match(text);
        return match.Success
            ? new BinlogCoordinates(Dm.Binlog.Replication.BinlogFileName.Parse(match.Groups[1].Value).UpstreamName,
                long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture))
            : null;
    }

    [GeneratedRegex(@"^\(\s*([^,\s]+)\s*,\s*(\d+)\s*\)$")]
    private static partial Regex DmStatusPattern();
}
