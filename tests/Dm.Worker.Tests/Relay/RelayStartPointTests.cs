using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;
using Dm.Core.Config;
using Dm.Core.Upstream;
using Dm.Worker.Relay;
using Dm.Worker.Sync.Checkpointing;
using Dm.Worker.Tests.Sync;
using Dm.Worker.Units;

namespace Dm.Worker.Tests.Relay;

/// <summary>
/// Where a new relay log starts from the source's relay-binlog-name and relay-binlog-gtid, against a real MariaDB: as DM's
/// relay, by GTID when the source has enable-gtid, by name otherwise; a GTID set alone is used either way.
/// </summary>
[Collection(SyncCollection.Name)]
public sealed class RelayStartPointTests(SyncServersFixture servers)
{
    [Fact]
    public async Task TheGtidStartWinsWithEnableGtidAndTheNameWithout()
    {
        var upstream = servers.Source;
        await upstream.ExecuteAsync("DROP DATABASE IF EXISTS relay_start; CREATE DATABASE relay_start; CREATE TABLE relay_start.t (id INT PRIMARY KEY)");
        await upstream.ExecuteAsync("FLUSH BINARY LOGS");
        var named = (await servers.MasterPositionAsync()).BinlogName;
        await upstream.ExecuteAsync("INSERT INTO relay_start.t VALUES (1)");
        var gtid = (string)(await upstream.ScalarAsync("SELECT @@GLOBAL.gtid_binlog_pos"))!;
        await upstream.ExecuteAsync("FLUSH BINARY LOGS");
        var afterGtid = (await servers.MasterPositionAsync()).BinlogName;
        await upstream.ExecuteAsync("INSERT INTO relay_start.t VALUES (2)");

        Assert.Equal(afterGtid, await StartAsync(new SourceConfig { EnableGtid = true, RelayBinlogName = named, RelayBinlogGtid = gtid }));
        Assert.Equal(named, await StartAsync(new SourceConfig { EnableGtid = false, RelayBinlogName = named, RelayBinlogGtid = gtid }));
        Assert.Equal(afterGtid, await StartAsync(new SourceConfig { EnableGtid = false, RelayBinlogGtid = gtid }));
    }

    [Fact]
    public async Task TheEarliestTaskCheckpointWinsOverTheSourcesStartPoint()
    {
        var upstream = servers.Source;
        var early = (await servers.MasterPositionAsync()).BinlogName;
        await upstream.ExecuteAsync("FLUSH BINARY LOGS");
        var late = (await servers.MasterPositionAsync()).BinlogName;
        var target = servers.Target;
        var tasks = new List<SubTaskConfig>();
        foreach (var (task, file) in new[] { ("relay-start-late", late), ("relay-start-early", early) })
        {
            var config = new SubTaskConfig
            {
                Name = task, Mode = TaskModes.Incremental, MetaSchema = "relay_start_meta", SourceId = "relay-start",
                To = new DbConfig { Host = target.Host, Port = target.Port, User = target.User, Password = target.Password },
            };
            var table = new SyncCheckpointTable(config.MetaSchema, config.Name, config.SourceId);
            await using var connection = await target.OpenAsync();
            await table.EnsureAsync(connection, CancellationToken.None);
            await table.WriteGlobalAsync(connection, new SyncCheckpoint(new BinlogLocation(file, 1234), null), CancellationToken.None);
            tasks.Add(config);
        }
        // A task that has not reached Sync (no checkpoint table) does not count.
        tasks.Add(new SubTaskConfig { Name = "relay-start-new", Mode = TaskModes.Incremental, MetaSchema = "relay_start_meta", SourceId = "relay-start",
            To = tasks[0].To });

        Assert.Equal(early, await StartAsync(new SourceConfig { EnableGtid = false, RelayBinlogName = late }, tasks));
    }

    private async Task<string> StartAsync(SourceConfig source, IReadOnlyList<SubTaskConfig>? tasks = null)
    {
        var endpoint = SyncServersFixture.Endpoint(servers.Source);
        await using var inspector = await UpstreamInspector.ConnectAsync(endpoint, CancellationToken.None);
        var master = await inspector.ReadMasterStatusAsync(await inspector.ReadServerInfoAsync(CancellationToken.None), CancellationToken.None);
        var (start, _) = await RelayStartPoint.ResolveAsync(source, new RelayTaskCheckpoints(() => tasks ?? []), UpstreamReplica.Options(endpoint, 4345),
            master, GtidFlavor.MariaDb, CancellationToken.None);
        Assert.Equal(4, start.Position);
        return start.FileName!;
    }
}
