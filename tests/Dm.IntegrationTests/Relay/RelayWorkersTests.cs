using System.Net.Http.Json;
using Dm.IntegrationTests.Sync;
using Dm.TestKit;

namespace Dm.IntegrationTests.Relay;

/// <summary>
/// Two workers pull one source's relay log (relay/enable naming both): each writes DM's layout of valid binlog files that
/// MariaDB's mariadb-binlog reads, both show in the source's status and in query-status, the one not bound is in stage
/// relay; when the bound worker dies the source goes to the relay worker rather than to a free one; pause-relay and
/// resume-relay stop and restart pulling; relay/disable stops the relay and keeps the files; a relay that must start in a
/// file the upstream purged stops with DM's error naming it.
/// </summary>
public sealed class RelayWorkersTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly string[] RelayTtl = ["--relay-keepalive-ttl", "3"];

    [Fact]
    public async Task TwoRelayWorkersShowStatusAndTheBoundOneFailsOverToTheOther()
    {
        await using var env = await SyncTestEnvironment.StartAsync("relay-workers-master", 121);
        var master = env.Env.Master;
        const string source = SyncTestEnvironment.SourceName;
        await env.Upstream.ExecuteAsync("CREATE DATABASE rw; CREATE TABLE rw.t (id INT PRIMARY KEY, v VARCHAR(20))");
        var first = await env.StartWorkerAsync("relay-w1", RelayTtl);
        await MigrationEnvironment.WaitForAsync(async () => (await RelayChecks.WorkersAsync(master)).GetValueOrDefault("relay-w1") == $"bound:{source}",
            "the source bound to relay-w1", Timeout);
        var second = await env.StartWorkerAsync("relay-w2", RelayTtl);
        await MigrationEnvironment.WaitForAsync(async () => (await RelayChecks.WorkersAsync(master)).GetValueOrDefault("relay-w2") == "free",
            "relay-w2 free", Timeout);

        var enable = await master.Http.PostAsJsonAsync($"/api/v1/sources/{source}/relay/enable", new { worker_name_list = new[] { "relay-w1", "relay-w2" } });
        Assert.True(enable.IsSuccessStatusCode, await enable.Content.ReadAsStringAsync());
        Assert.Equal($"relay:{source}", (await RelayChecks.WorkersAsync(master))["relay-w2"]);
        // A relay with nothing pulled starts at the upstream's current file: written to once both have started.
        await RelayChecks.WaitCaughtUpAsync(master, source, "relay-w1", Timeout);
        await RelayChecks.WaitCaughtUpAsync(master, source, "relay-w2", Timeout);
        for (var i = 0; i < 50; i++)
        {
            await env.Upstream.ExecuteAsync($"INSERT INTO rw.t VALUES ({i}, 'row {i}')");
            if (i % 20 == 19) await env.Upstream.ExecuteAsync("FLUSH BINARY LOGS");
        }
        await RelayChecks.WaitCaughtUpAsync(master, source, "relay-w1", Timeout);
        await RelayChecks.WaitCaughtUpAsync(master, source, "relay-w2", Timeout);

        var status = await RelayChecks.SourceStatusAsync(master, source);
        Assert.Equal(["relay-w1", "relay-w2"], status.Select(s => s!["worker_name"]!.GetValue<string>()));
        foreach (var entry in status)
        {
            var relay = entry!["relay_status"]!;
            Assert.Equal("Running", relay["stage"]!.GetValue<string>());
            Assert.StartsWith("0-121.", relay["relay_dir"]!.GetValue<string>());
            Assert.StartsWith("0-121-", relay["relay_binlog_gtid"]!.GetValue<string>());
            Assert.Equal(relay["master_binlog_gtid"]!.GetValue<string>(), relay["relay_binlog_gtid"]!.GetValue<string>());
            // DM's (file, position) text of the upstream's current location, and caught up with it.
            Assert.Matches(@"^\(mysql-bin\.\d{6}, \d+\)$", relay["master_binlog"]!.GetValue<string>());
            Assert.True(relay["relay_catch_up_master"]!.GetValue<bool>());
        }
        var query = (await DmctlRun.RunAsync(master, "query-status", "-s", source)).Ok();
        Assert.Equal("Running", query["sources"]![0]!["sourceStatus"]!["relayStatus"]!["stage"]!.GetValue<string>());

        // Both copies are the upstream's files, which MariaDB's own reader takes; the index and meta are DM's.
        foreach (var worker in new[] { first, second })
        {
            var files = RelayChecks.Files(worker);
            Assert.True(files.Count >= 3, string.Join(", ", files));
            await RelayChecks.AssertMariaDbBinlogReadsAsync(files);
            var sub = Path.GetDirectoryName(files[0])!;
            Assert.Equal(Path.GetFileName(sub) + "\n", await File.ReadAllTextAsync(Path.Combine(RelayChecks.Directory(worker), "server-uuid.index")));
            Assert.Contains("binlog-gtid = \"0-121-", await File.ReadAllTextAsync(Path.Combine(sub, "relay.meta")));
            foreach (var file in files.Take(files.Count - 1))
                Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(env.Upstream.BinlogDirectory, Path.GetFileName(file))), await File.ReadAllBytesAsync(file));
        }

        // Pause: the relay stops (stage Paused), keeps its files; resume pulls again.
        Assert.True((await master.Http.PostAsync($"/api/v1/sources/{source}/relay/pause", null)).IsSuccessStatusCode);
        await MigrationEnvironment.WaitForAsync(async () => (await RelayChecks.RelayStatusAsync(master, source, "relay-w2"))?["stage"]?.GetValue<string>() == "Paused",
            "relay-w2 paused", Timeout);
        await env.Upstream.ExecuteAsync("INSERT INTO rw.t VALUES (1000, 'while paused')");
        (await DmctlRun.RunAsync(master, "resume-relay", "-s", source)).Ok();
        await RelayChecks.WaitCaughtUpAsync(master, source, "relay-w2", Timeout);

        // The bound worker dies: the source goes to its relay worker, not to the free worker started before.
        await using var third = await DmWorkerProcess.StartAsync("relay-w3", [master], extraArguments: RelayTtl);
        await MigrationEnvironment.WaitForAsync(async () => (await RelayChecks.WorkersAsync(master)).GetValueOrDefault("relay-w3") == "free",
            "relay-w3 free", Timeout);
        first.Kill();
        await MigrationEnvironment.WaitForAsync(async () => (await RelayChecks.WorkersAsync(master))["relay-w2"] == $"bound:{source}",
            "the source rebound to its relay worker relay-w2", Timeout);
        Assert.Equal("free", (await RelayChecks.WorkersAsync(master))["relay-w3"]);
        Assert.Contains("pulls its relay log", master.ReadLog());

        // relay/disable: the relay stops, its files stay.
        var files2 = RelayChecks.Files(second);
        (await DmctlRun.RunAsync(master, "stop-relay", "-s", source)).Ok();
        await MigrationEnvironment.WaitForAsync(async () => await RelayChecks.RelayStatusAsync(master, source, "relay-w2") is null,
            "relay-w2's relay status gone", Timeout);
        Assert.Equal(files2, RelayChecks.Files(second));

        // A relay told to start in a file the upstream has purged stops with DM's error naming the file, and waits for the user.
        await env.Upstream.ExecuteAsync("FLUSH BINARY LOGS");
        var (current, _) = await SyncTestEnvironment.MasterPositionAsync(env.Upstream);
        await MigrationEnvironment.WaitForAsync(async () =>
        {
            await env.Upstream.ExecuteAsync($"PURGE BINARY LOGS TO '{current}'");
            return !File.Exists(Path.Combine(env.Upstream.BinlogDirectory, "mysql-bin.000001"));
        }, "the upstream to purge mysql-bin.000001", Timeout);
        var purged = await master.Http.PostAsJsonAsync($"/api/v1/sources/{source}/relay/enable",
            new { worker_name_list = new[] { "relay-w3" }, relay_binlog_name = "mysql-bin.000001" });
        Assert.True(purged.IsSuccessStatusCode, await purged.Content.ReadAsStringAsync());
        string? error = null;
        await MigrationEnvironment.WaitForAsync(async () =>
        {
            var entry = (await RelayChecks.SourceStatusAsync(master, source)).FirstOrDefault(s => s!["worker_name"]!.GetValue<string>() == "relay-w3");
            error = entry?["error_msg"]?.GetValue<string>();
            return error is not null && entry!["relay_status"]?["stage"]?.GetValue<string>() == "Paused";
        }, "relay-w3's relay to stop on the purged file", Timeout);
        Assert.Contains("code=30012", error);
        Assert.Contains("mysql-bin.000001", error);
    }
}
