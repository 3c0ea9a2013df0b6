using Dm.Binlog.Replication;
using Dm.Core.Upstream;
using MySqlConnector;

namespace Dm.Worker.Sync;

/// <summary>The upstream's current binlog position and GTID set (read as the rest of DM# reads them), and its clock's offset from ours.</summary>
internal sealed class UpstreamStatus(DatabaseEndpoint endpoint, MySqlConnection upstream)
{
    private ServerInfo? _info;

    public MySqlConnection Connection => upstream;

    public async Task<(BinlogLocation Position, TimeSpan ClockOffset)> ReadAsync(CancellationToken cancellationToken)
    {
        await using var inspector = UpstreamInspector.Over(endpoint, upstream);
        _info ??= await inspector.ReadServerInfoAsync(cancellationToken);
        var position = (await inspector.ReadMasterStatusAsync(_info, cancellationToken)).Location;
        var before = DateTime.UtcNow;
        await using var clock = new MySqlCommand("SELECT UNIX_TIMESTAMP(NOW(6))", upstream);
        var upstreamNow = DateTime.UnixEpoch.AddSeconds((double)Convert.ToDecimal(await clock.ExecuteScalarAsync(cancellationToken)));
        var local = before + (DateTime.UtcNow - before) / 2;
        return (position, upstreamNow - local);
    }
}
