using Dm.Binlog.Replication;
using Dm.Core.Errors;
using Dm.Core.Upstream;
using Dm.Worker.Errors;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Dump;

/// <summary>
/// N source connections that all read the same point in time, and the binlog position of that point.
/// With flush/lock consistency the lock is held only while every connection runs
/// START TRANSACTION WITH CONSISTENT SNAPSHOT and the position is read, then released at once.
/// </summary>
public sealed class SnapshotSession : IAsyncDisposable
{
    private readonly List<MySqlConnection> _connections;

    private SnapshotSession(List<MySqlConnection> connections, BinlogLocation position)
    {
        _connections = connections;
        Position = position;
    }

    public BinlogLocation Position { get; }

    public IReadOnlyList<MySqlConnection> Connections => _connections;

    public static async Task<SnapshotSession> OpenAsync(DatabaseEndpoint source, int connectionCount, ConsistencyMode mode,
        IReadOnlyList<(string Schema, string Table)> tables, CancellationToken cancellationToken)
    {
        if (mode == ConsistencyMode.Snapshot)
            throw DmErrors.ErrDumpUnitRuntime.New("consistency 'snapshot' is only supported on TiDB; use auto, flush, lock or none");
        var connections = new List<MySqlConnection>();
        try
        {
            var control = await DataConnections.OpenAsync(source, cancellationToken);
            connections.Add(control);
            for (var i = 1; i < connectionCount; i++)
                connections.Add(await DataConnections.OpenAsync(source, cancellationToken));
            await using var inspector = UpstreamInspector.Over(source, control);
            var info = await inspector.ReadServerInfoAsync(cancellationToken);

            var locked = false;
            if (mode is ConsistencyMode.Auto or ConsistencyMode.Flush)
            {
                await LockAsync(control, "FLUSH TABLES WITH READ LOCK", cancellationToken);
                locked = true;
            }
            else if (mode == ConsistencyMode.Lock && tables.Count > 0)
            {
                await LockAsync(control, "LOCK TABLES " + string.Join(", ", tables.Select(t => Quote.Table(t.Schema, t.Table) + " READ")), cancellationToken);
                locked = true;
            }
            // Under LOCK TABLES a transaction start would release the lock, so the control connection's
            // snapshot opens after UNLOCK; it is then only used for planning, not for row data.
            foreach (var connection in connections.Skip(locked && mode == ConsistencyMode.Lock ? 1 : 0))
                await DataConnections.ExecuteAsync(connection, "START TRANSACTION WITH CONSISTENT SNAPSHOT", cancellationToken);
            var position = (await inspector.ReadMasterStatusAsync(info, cancellationToken)).Location;
            if (locked)
                await DataConnections.ExecuteAsync(control, "UNLOCK TABLES", cancellationToken);
            if (locked && mode == ConsistencyMode.Lock)
                await DataConnections.ExecuteAsync(control, "START TRANSACTION WITH CONSISTENT SNAPSHOT", cancellationToken);
            return new SnapshotSession(connections, position);
        }
        catch
        {
            foreach (var c in connections)
                await c.DisposeAsync();
            throw;
        }
    }

    private static async Task LockAsync(MySqlConnection control, string sql, CancellationToken cancellationToken)
    {
        try
        {
            await DataConnections.ExecuteAsync(control, sql, cancellationToken);
        }
        catch (DataStatementException e) when (DatabaseErrorPolicy.IsAccessDenied(e))
        {
            throw DmErrors.ErrDumpUnitGlobalLock.Wrap(e.InnerException!);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _connections)
            await c.DisposeAsync();
        _connections.Clear();
    }
}
