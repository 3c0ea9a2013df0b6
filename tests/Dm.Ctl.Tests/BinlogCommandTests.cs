namespace Dm.Ctl.Tests;

/// <summary>
/// binlog skip|replace|list|revert and handle-error through the master's DM# binlog operation: argument
/// checks in dmctl, DM's codes from the master, one line per source with what its worker (here: none) said.
/// </summary>
[Collection(CtlCollection.Name)]
public sealed class BinlogCommandTests(CtlEnvironment env)
{
    [Fact]
    public async Task BinlogOperationsReachTheMasterAndReportEachSource()
    {
        var files = new[] { ("t-binlog-1", env.Upstream1), ("t-binlog-2", env.Upstream2) }
            .Select((s, i) => env.WriteFile($"task-binlog/source-{i}.yaml", SampleConfigs.Source(s.Item1, s.Item2))).ToArray();
        (await env.Dmctl(["operate-source", "create", .. files])).Ok();
        (await env.Dmctl("start-task", env.WriteFile("task-binlog/task.yaml",
            SampleConfigs.Task("binlog", env.Target, "all", "t-binlog-1", "t-binlog-2")))).Ok();

        // No worker runs the sources: each source's line carries the master's 40070 and the command fails.
        var skip = await env.Dmctl("binlog", "skip", "binlog");
        Assert.Equal(1, skip.ExitCode);
        var lines = skip.Json["sources"]!.AsArray();
        Assert.Equal(["t-binlog-1", "t-binlog-2"], lines.Select(l => l!["source"]!.GetValue<string>()));
        Assert.All(lines, l => Assert.StartsWith("[code=40070:", l!["msg"]!.GetValue<string>()));
        Assert.StartsWith("[code=40070:", skip.Json["msg"]!.GetValue<string>());

        var one = await env.Dmctl("binlog", "replace", "-s", "t-binlog-2", "-b", "mysql-bin|000001.000003:3270", "binlog",
            "ALTER TABLE shop.orders ADD COLUMN c INT;", "ALTER TABLE shop.orders ADD COLUMN d INT");
        Assert.Equal("t-binlog-2", Assert.Single(one.Json["sources"]!.AsArray())!["source"]!.GetValue<string>());
        Assert.Equal(1, (await env.Dmctl("binlog", "list", "binlog")).ExitCode);
        Assert.Equal(1, (await env.Dmctl("handle-error", "binlog", "-s", "t-binlog-1", "revert")).ExitCode);

        // Refused by the master before any worker is asked.
        Assert.Contains("invalid binlog position", (await env.Dmctl("binlog", "skip", "-b", "mysql-bin.000003", "binlog")).Failed(11118));
        Assert.Contains("nope", (await env.Dmctl("binlog", "skip", "nope")).Failed(46018));
        Assert.Contains("t-other", (await env.Dmctl("binlog", "skip", "-s", "t-other", "binlog")).Failed(46008));
        (await env.Dmctl("stop-task", "binlog")).Ok();
    }

    [Fact]
    public async Task BadArgumentsAreRefusedByDmctl()
    {
        Assert.Contains("needs the SQL statements", (await env.Dmctl("binlog", "replace", "some-task")).Failed(49001));
        Assert.Contains("takes only <task-name>", (await env.Dmctl("binlog", "skip", "some-task", "DROP TABLE x")).Failed(49001));
        Assert.Contains("expected skip, replace, revert or list", (await env.Dmctl("binlog", "jump", "some-task")).Failed(49001));
        Assert.Contains("is not supported", (await env.Dmctl("binlog", "inject", "some-task", "SELECT 1")).Failed(49001));
        Assert.Contains("expected skip, replace or revert", (await env.Dmctl("handle-error", "some-task", "list")).Failed(49001));
    }
}
