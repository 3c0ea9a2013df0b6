namespace Dm.Ctl.Tests;

/// <summary>list-member, offline-member, transfer-source and the relay commands against the real master.</summary>
[Collection(CtlCollection.Name)]
public sealed class ClusterCommandTests(CtlEnvironment env)
{
    [Fact]
    public async Task ListMemberShowsLeaderMastersAndWorkers()
    {
        var members = (await env.Dmctl("list-member")).Ok()["members"]!.AsArray();
        Assert.Equal(3, members.Count);
        Assert.Equal(env.Master.Name, members[0]!["leader"]!["name"]!.GetValue<string>());
        var master = Assert.Single(members[1]!["master"]!["masters"]!.AsArray())!;
        Assert.Equal(env.Master.Name, master["name"]!.GetValue<string>());
        Assert.True(master["alive"]!.GetValue<bool>());
        Assert.NotNull(members[2]!["worker"]!["workers"]);

        var onlyWorkers = (await env.Dmctl("list-member", "--worker")).Ok()["members"]!.AsArray();
        Assert.NotNull(Assert.Single(onlyWorkers)!["worker"]);
        var byName = (await env.Dmctl("list-member", "--master", "--name", "someone-else")).Ok()["members"]!.AsArray();
        Assert.Empty(byName[0]!["master"]!["masters"]!.AsArray());

        var table = await env.Dmctl("list-member", "--master", "-o", "table");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains(env.Master.Name, table.Stdout);
    }

    [Fact]
    public async Task OperateLeaderEvictsTheMasterItReachesUntilCancelled()
    {
        // A master of its own: while it is evicted, nobody leads the API.
        await using var master = await Dm.TestKit.DmMasterProcess.StartAsync("ctl-evicted");
        string[] at = ["--master-addr", $"127.0.0.1:{master.Port}"];
        (await DmctlProcess.RunAsync([.. at, "operate-leader", "evict"])).Ok();
        var refused = await DmctlProcess.RunAsync([.. at, "list-member", "--leader"]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("code=38043", refused.Msg);
        Assert.Contains("election is in progress", refused.Msg);
        (await DmctlProcess.RunAsync([.. at, "operate-leader", "cancel-evict"])).Ok();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await DmctlProcess.RunAsync([.. at, "list-member", "--leader"])).ExitCode != 0 && DateTime.UtcNow < deadline) await Task.Delay(200);
        var leader = (await DmctlProcess.RunAsync([.. at, "list-member", "--leader"])).Ok()["members"]![0]!["leader"]!;
        Assert.Equal("ctl-evicted", leader["name"]!.GetValue<string>());
        Assert.Contains("evict or cancel-evict", (await DmctlProcess.RunAsync([.. at, "operate-leader", "depose"])).Failed(49001));
    }

    [Fact]
    public async Task OfflineMemberNeedsOneKindAndAKnownName()
    {
        Assert.Contains("exactly one of", (await env.Dmctl("offline-member", "--name", "x")).Failed(49001));
        Assert.Contains("--name", (await env.Dmctl("offline-member", "--worker")).Failed(49001));
        var run = await env.Dmctl("offline-member", "--worker", "--name", "no-such-worker");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("[code=", run.Msg);
    }

    [Fact]
    public async Task TransferAndRelayCommandsReportTheMastersRefusal()
    {
        var file = env.WriteFile("cluster/source.yaml", SampleConfigs.Source("c-relay", env.Upstream1));
        (await env.Dmctl("operate-source", "create", file)).Ok();

        var transfer = await env.Dmctl("transfer-source", "c-relay", "no-such-worker");
        Assert.Equal(1, transfer.ExitCode);
        Assert.Contains("no-such-worker", transfer.Msg);

        // No worker serves the source, so relay cannot start; dmctl passes the master's error on.
        var start = await env.Dmctl("start-relay", "-s", "c-relay");
        Assert.Equal(1, start.ExitCode);
        Assert.StartsWith("[code=", start.Msg);
        Assert.Equal(1, (await env.Dmctl("stop-relay", "-s", "c-relay")).ExitCode);
        var purge = await env.Dmctl("purge-relay", "-s", "c-relay", "-f", "mysql-bin.000002");
        Assert.Equal(1, purge.ExitCode);
        Assert.StartsWith("[code=", purge.Msg);
        foreach (var stage in new[] { "pause-relay", "resume-relay" })
        {
            var refused = await env.Dmctl(stage, "-s", "c-relay");
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("enable-relay", refused.Msg);
            Assert.Contains("at least one source", (await env.Dmctl(stage)).Failed(49001));
        }

        Assert.Contains("exactly one source", (await env.Dmctl("start-relay")).Failed(49001));
        Assert.Contains("-f/--filename", (await env.Dmctl("purge-relay", "-s", "c-relay")).Failed(49001));
        Assert.Contains("<source-id> <worker-id>", (await env.Dmctl("transfer-source", "c-relay")).Failed(49001));
        (await env.Dmctl("operate-source", "stop", "c-relay")).Ok();
    }
}
