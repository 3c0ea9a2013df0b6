using Dm.Core.Upstream;
using MySqlConnector;

namespace Dm.Worker.Sync;

/// <summary>The upstream's current binlog position and GTID set, and its clock's offset from ours.</summary>
internal static class UpstreamStatus
{
    public static async Task<(BinlogPosition Position, TimeSpan ClockOffset)> ReadAsync(MySqlConnection upstream, CancellationToken cancellationToken)
    {
        string file = "";
        ulong pos = 0;
        await using (var command = new MySqlCommand("SHOW MASTER STATUS", upstream))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                file = reader.GetString(0);
                pos = Convert.ToUInt64(reader.GetValue(1));
            }
        }
        var before = DateTime.UtcNow;
        await using var clock = new MySqlCommand("SELECT UNIX_TIMESTAMP(NOW(6))", upstream);
        var upstreamNow = DateTime.UnixEpoch.AddSeconds((double)Convert.ToDecimal(await clock.ExecuteScalarAsync(cancellationToken)));
        var local = before + (DateTime.UtcNow - before) / 2;
        return (new BinlogPosition(file, pos, await GtidAsync(upstream, cancellationToken)), upstreamNow - local);
    }

    private static async Task<string> GtidAsync(MySqlConnection upstream, CancellationToken cancellationToken)
    {
        foreach (var variable in new[] { "@@global.gtid_binlog_pos", "@@global.gtid_executed" })
        {
            try
            {
                await using var command = new MySqlCommand("SELECT " + variable, upstream);
                return await command.ExecuteScalarAsync(cancellationToken) as string ?? "";
            }
            catch (MySqlException e) when (e.Number == 1193) { } // unknown variable: the other flavor
        }
        return "";
    }
}
