namespace Dm.Ctl.Tests;

/// <summary>The error paths a user meets first: no or dead master, bad files, unknown commands and flags.</summary>
[Collection(CtlCollection.Name)]
public sealed class CommandLineErrorTests(CtlEnvironment env)
{
    [Fact]
    public async Task UnreachableMasterFailsWithDmctlConnectionError()
    {
        var port = Dm.TestKit.FreePort.Next();
        var run = await DmctlProcess.RunAsync(["--master-addr", $"127.0.0.1:{port}", "query-status"]);
        var msg = run.Failed(48001);
        Assert.Contains($"127.0.0.1:{port}", msg);
        Assert.Contains("Please check your network connection", msg);
    }

    [Fact]
    public async Task MissingMasterAddressIsAClearError()
    {
        var run = await DmctlProcess.RunAsync(["list-member"]);
        Assert.Contains("--master-addr", run.Failed(49001));
    }

    [Fact]
    public async Task MasterAddressComesFromEnvironmentAndCommaListSkipsDeadMasters()
    {
        var dead = $"127.0.0.1:{Dm.TestKit.FreePort.Next()}";
        var fromEnv = await DmctlProcess.RunAsync(["list-member", "--master"], new Dictionary<string, string?> { ["DM_MASTER_ADDR"] = $"{dead},{env.MasterAddr}" });
        var masters = fromEnv.Ok()["members"]![0]!["master"]!["masters"]!.AsArray();
        Assert.Single(masters);
        Assert.True(masters[0]!["alive"]!.GetValue<bool>());

        var singleDash = await DmctlProcess.RunAsync(["-master-addr", env.MasterAddr, "list-member", "-l"]);
        Assert.Equal(env.Master.Name, singleDash.Ok()["members"]![0]!["leader"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task BadYamlNamesTheLineOfTheError()
    {
        var file = env.WriteFile("bad-indent/source.yaml", "source-id: \"x\"\nfrom:\n  host: \"127.0.0.1\"\n   port: 3306\n");
        var msg = (await env.Dmctl("operate-source", "create", file)).Failed(20003);
        Assert.Contains("line 4", msg);
        Assert.Contains(file, msg);
    }

    [Fact]
    public async Task UnknownKeysAreRefusedWithKeyAndLine()
    {
        var source = env.WriteFile("unknown-key/source.yaml", "source-id: \"x\"\nenable-gtid: false\nenable-gtdi: true\n");
        var msg = (await env.Dmctl("operate-source", "create", source)).Failed(20003);
        Assert.Contains("enable-gtdi", msg);
        Assert.Contains("line 3", msg);

        var task = env.WriteFile("unknown-key/task.yaml", SampleConfigs.Task("typo", env.Target, "all", "nowhere").Replace("online-ddl: true", "online-ddl: true\nonline-dll: true"));
        msg = (await env.Dmctl("start-task", task)).Failed(20003);
        Assert.Contains("online-dll", msg);
        Assert.Contains("line 7", msg);
    }

    [Fact]
    public async Task MissingFileUnknownCommandAndUnknownFlagFail()
    {
        Assert.Contains("no-such-file.yaml", (await env.Dmctl("start-task", "no-such-file.yaml")).Failed(20018));
        Assert.Contains("unknown command \"start-tsak\"", (await env.Dmctl("start-tsak", "x.yaml")).Failed(49001));
        Assert.Contains("unknown flag: --remove-mate", (await env.Dmctl("start-task", "--remove-mate", "x.yaml")).Failed(49001));
        Assert.Contains("invalid --output", (await env.Dmctl("--output", "xml", "list-member")).Failed(49001));
    }

    [Theory]
    [InlineData("shard-ddl-lock", "no shard-DDL coordination")]
    [InlineData("show-ddl-locks", "no shard-DDL coordination")]
    [InlineData("unlock-ddl-lock", "no shard-DDL coordination")]
    [InlineData("validation", "no continuous validator")]
    [InlineData("operate-schema", "binlog-schema")]
    public async Task CommandsWhoseFeatureDmSharpLacksFailNamingTheFeature(string command, string feature)
    {
        var msg = (await env.Dmctl(command, "some-arg", "-s", "src")).Failed(49001);
        Assert.Contains($"`{command} some-arg` is not supported", msg);
        Assert.Contains(feature, msg);
    }

    [Fact]
    public async Task WithoutACommandItReadsCommandsFromInputLikeDmsShell()
    {
        var run = await DmctlProcess.RunAsync(["--master-addr", env.MasterAddr], stdin: "list-member --master\n\n'query-status' no-such-task\nexit\nlist-member\n");
        Assert.Equal(1, run.ExitCode); // the status of the last command run
        Assert.Equal(2, run.Stdout.Split("\"result\"").Length - 1);
        Assert.Contains(env.Master.Name, run.Stdout);
        Assert.Contains("[code=46018:", run.Stdout);
        Assert.StartsWith("» ", run.Stdout);

        var noMaster = await DmctlProcess.RunAsync([]);
        Assert.Equal(1, noMaster.ExitCode);
        Assert.Contains("Usage:", noMaster.Stdout);
    }

    [Fact]
    public async Task HelpAndVersionSucceed()
    {
        var help = await DmctlProcess.RunAsync(["--help"]);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("operate-source", help.Stdout);
        var commandHelp = await DmctlProcess.RunAsync(["start-task", "--help"]);
        Assert.Equal(0, commandHelp.ExitCode);
        Assert.Contains("--remove-meta", commandHelp.Stdout);
        var version = await DmctlProcess.RunAsync(["-V"]);
        Assert.Equal(0, version.ExitCode);
        Assert.Contains("Release Version", version.Stdout);
    }
}
