namespace Dm.Ctl.Tests;

/// <summary>operate-source create/show/update/stop with DM's source.yaml files.</summary>
[Collection(CtlCollection.Name)]
public sealed class SourceCommandTests(CtlEnvironment env)
{
    [Fact]
    public async Task CreateShowUpdateStopFromSourceYaml()
    {
        var a = env.WriteFile("src-life/a.yaml", SampleConfigs.Source("s-life-a", env.Upstream1));
        var b = env.WriteFile("src-life/b.yaml", SampleConfigs.Source("s-life-b", env.Upstream2));

        var created = (await env.Dmctl("operate-source", "create", a, b)).Ok();
        var lines = created["sources"]!.AsArray();
        Assert.Equal(["s-life-a", "s-life-b"], lines.Select(l => l!["source"]!.GetValue<string>()));
        Assert.All(lines, l => Assert.True(l!["result"]!.GetValue<bool>()));
        Assert.All(lines, l => Assert.Equal("", l!["worker"]!.GetValue<string>()));

        var shown = (await env.Dmctl("operate-source", "show", "-s", "s-life-a")).Ok();
        Assert.Equal("s-life-a", Assert.Single(shown["sources"]!.AsArray())!["source"]!.GetValue<string>());
        var all = (await env.Dmctl("operate-source", "show")).Ok()["sources"]!.AsArray().Select(s => s!["source"]!.GetValue<string>()).ToList();
        Assert.Contains("s-life-a", all);
        Assert.Contains("s-life-b", all);

        var again = await env.Dmctl("operate-source", "create", a);
        Assert.Contains("s-life-a", again.Failed(46007));

        File.WriteAllText(a, SampleConfigs.Source("s-life-a", env.Upstream1).Replace("interval: 3600", "interval: 1800"));
        (await env.Dmctl("operate-source", "update", a)).Ok();
        var config = (await env.Dmctl("config", "source", "s-life-a")).Ok()["cfg"]!.GetValue<string>();
        Assert.Contains("interval: 1800", config);
        Assert.Contains("source-id: s-life-a", config);
        Assert.DoesNotContain(env.Upstream1.Password, config);

        // stop accepts a file or a source ID.
        (await env.Dmctl("operate-source", "stop", a)).Ok();
        (await env.Dmctl("operate-source", "stop", "s-life-b")).Ok();
        Assert.Contains("s-life-a", (await env.Dmctl("operate-source", "show", "-s", "s-life-a")).Failed(46008));
        Assert.Contains("s-life-b", (await env.Dmctl("operate-source", "stop", "s-life-b")).Failed(46008));
    }

    [Fact]
    public async Task UnreachableUpstreamIsRefusedByTheMaster()
    {
        var yaml = SampleConfigs.Source("s-dead", env.Upstream1).Replace($"port: {env.Upstream1.Port}", $"port: {Dm.TestKit.FreePort.Next()}");
        var run = await env.Dmctl("operate-source", "create", env.WriteFile("src-dead/source.yaml", yaml));
        Assert.Equal(1, run.ExitCode);
        Assert.False(run.Result);
        Assert.StartsWith("[code=", run.Msg);
    }

    [Fact]
    public async Task TableOutputIsReadable()
    {
        var file = env.WriteFile("src-table/source.yaml", SampleConfigs.Source("s-table", env.Upstream1));
        (await env.Dmctl("operate-source", "create", file)).Ok();
        var run = await env.Dmctl("operate-source", "show", "-s", "s-table", "--output", "table");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("result: true", run.Stdout);
        var lines = run.Stdout.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("result", StringComparison.Ordinal) && l.Contains("source") && l.Contains("worker"));
        Assert.Contains(lines, l => l.StartsWith("true", StringComparison.Ordinal) && l.Contains("s-table"));
        (await env.Dmctl("operate-source", "stop", "s-table")).Ok();
    }

    [Fact]
    public async Task PrintSampleConfigNeedsNoMaster()
    {
        var run = await DmctlProcess.RunAsync(["operate-source", "--print-sample-config"]);
        Assert.Contains("source-id:", run.Ok()["msg"]!.GetValue<string>());
    }
}
