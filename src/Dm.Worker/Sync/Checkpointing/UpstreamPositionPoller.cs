using Dm.Binlog.Replication;
using Dm.Core.Upstream;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Sync.Checkpointing;

/// <summary>
/// Reads the upstream's current binlog position and GTID set (as the rest of DM# reads them) and its clock's offset from
/// ours, every two seconds (<see cref="Due"/>), into the unit's status (<see cref="SyncProgress.Master"/>: lag and "synced" are
/// measured against them). Its own upstream connection is opened when needed and dropped when a read fails.
/// </summary>
internal sealed class UpstreamPositionPoller(DatabaseEndpoint endpoint, SyncProgress progress, ILogger logger) : IAsyncDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    private MySqlConnection? _connection;
    private ServerInfo? _info;
    private DateTime _last = DateTime.MinValue;

    /// <summary>Whether it is time to read again: two seconds after the last read that succeeded.</summary>
    public bool Due => DateTime.UtcNow - _last >= Period;

    /// <summary>Reads the position into the status; a failed read is logged, and tried again next time on a new connection.</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        try
        {
            _connection ??= await DataConnections.OpenAsync(endpoint, cancellationToken);
            var (master, offset) = await ReadAsync(_connection, cancellationToken);
            progress.Master(master, offset);
            _last = DateTime.UtcNow;
        }
        catch (Exception e) when (e is MySqlException or UpstreamException or InvalidOperationException)
        {
            logger.LogDebug("cannot read the upstream's position: {Error}", e.Message);
            await DisposeAsync();
        }
    }

    private async Task<(BinlogLocation Position, TimeSpan ClockOffset)> ReadAsync(MySqlConnection upstream, CancellationToken cancellationToken)
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

    /// <summary>Closes the connection (a later poll opens a new one and reads the server's details again).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        _connection = null;
        _info = null;
    }
}
