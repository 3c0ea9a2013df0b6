using Dm.Binlog.Events;
using Dm.Binlog.Gtid;
using Dm.Binlog.Replication;
using Dm.Core.Api;
using Dm.TestKit;
using Dm.Worker.Relay;
using Dm.Worker.Tests.Sync;

namespace Dm.Worker.Tests.Relay;

/// <summary>
/// A relay unit whose upstream address now answers with another server (a failover to a replica, source with
/// enable-gtid): against real MariaDB servers the relay goes on in a new sub-directory named after the new server
/// (DM's layout, listed in server-uuid.index), from the new server's file holding what follows its GTID set; MariaDB's
/// mariadb-binlog reads every file, and a reader going across both sub-directories gets every transaction once, in order.
/// </summary>
[Collection(SyncCollection.Name)]
public sealed class RelayUpstreamSwitchTests(SyncServersFixture servers) : RelayFilesTest("relayswitch")
{
    [Fact]
    public async Task ANewUpstreamServerGetsANewSubDirectoryAndTheRelayReadsOnWithoutGapOrRepeat()
    {
        var first = servers.Source;
        await first.ExecuteAsync("DROP DATABASE IF EXISTS relay_switch; FLUSH BINARY LOGS");
        var startFile = (await servers.MasterPositionAsync()).BinlogName;
        var state = (string)(await first.ScalarAsync("SELECT @@GLOBAL.gtid_binlog_state"))!;
        // The second server is a replica of the first from here on, logging what it applies, with the first's GTID state.
        await using var second = await MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 23, ExtraArguments = ["log-slave-updates"] });
        await second.ExecuteAsync($"""
            RESET MASTER;
            SET GLOBAL gtid_binlog_state = '{state}';
            SET GLOBAL gtid_slave_pos = '{state}';
            CHANGE MASTER TO MASTER_HOST = '{first.Host}', MASTER_PORT = {first.Port}, MASTER_USER = '{first.User}',
              MASTER_PASSWORD = '{first.Password}', MASTER_USE_GTID = slave_pos;
            START SLAVE;
            """);
        await first.ExecuteAsync("CREATE DATABASE relay_switch; CREATE TABLE relay_switch.t (id INT PRIMARY KEY)");
        await InsertAsync(0, 20);

        var log = new RelayLog(RelayDirectory.Open(Dir), GtidFlavor.MariaDb);
        await using (var onFirst = LiveRelayUnit.Start(first, log, "relay-switch", startFile, enableGtid: true))
        {
            await LiveRelayUnit.WaitForAsync(() => onFirst.Status() is { Error: null, Status.RelayCatchUpMaster: true }, "the relay of the first server to catch up");
            await InsertAsync(20, 40);
            await LiveRelayUnit.WaitForAsync(() => onFirst.Status() is { Error: null, Status.RelayCatchUpMaster: true }, "the relay to catch up again");
        }
        await InsertAsync(40, 60);
        await LiveRelayUnit.WaitForAsync(async () => await second.ScalarAsync("SELECT COUNT(*) FROM relay_switch.t") is long and 60, "the replica to apply every row");

        // The upstream's address now answers with the second server.
        await using (var onSecond = LiveRelayUnit.Start(second, log, "relay-switch", startFile, enableGtid: true))
        {
            await InsertAsync(60, 80);
            await LiveRelayUnit.WaitForAsync(async () => await second.ScalarAsync("SELECT COUNT(*) FROM relay_switch.t") is long and 80, "the replica to apply every row");
            var end = (string)(await first.ScalarAsync("SELECT @@GLOBAL.gtid_binlog_pos"))!;
            Assert.Equal(end, (string)(await second.ScalarAsync("SELECT @@GLOBAL.gtid_binlog_pos"))!);

            await LiveRelayUnit.WaitForAsync(() => log.Directory.SubDirectories.Count == 2, "a second sub-directory");
            Assert.Equal(["0-21.000001", "0-23.000002"], log.Directory.SubDirectories.Select(s => s.Name));
            Assert.Equal("0-21.000001\n0-23.000002\n", await File.ReadAllTextAsync(log.Directory.IndexPath));

            // Read from the relay's start across both sub-directories until the last transaction: each once, in order.
            using var reader = new RelayEventSource(log, new BinlogPosition(log.Directory.SubDirectories[0].RelayName(startFile), 4), null, "test reader");
            using var reading = new CancellationTokenSource(LiveRelayUnit.Timeout);
            var sequences = new List<ulong>();
            var files = new HashSet<string>();
            await foreach (var ev in reader.ReadEventsAsync(reading.Token))
            {
                files.Add(ev.ResumePosition.FileName!);
                if (ev is MariaDbGtidEvent gtid) sequences.Add(gtid.Gtid.Sequence);
                if (ev is XidEvent && reader.ExecutedGtid?.ToString() == end) break;
            }
            Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => sequences[0] + (ulong)i), sequences);
            Assert.Contains(files, f => f.Contains("|000002.", StringComparison.Ordinal));
            Assert.Equal(nameof(TaskStage.Running), onSecond.Status().Status.Stage);
        }

        foreach (var sub in log.Directory.SubDirectories)
        foreach (var file in sub.BinlogFiles())
            Assert.Contains("End of log file", await ChildProcess.RunAsync("mariadb-binlog", ["--no-defaults", sub.FilePath(file)], LiveRelayUnit.Timeout));
    }

    private async Task InsertAsync(int from, int to)
    {
        for (var i = from; i < to; i++) await servers.Source.ExecuteAsync($"INSERT INTO relay_switch.t VALUES ({i})");
    }
}
