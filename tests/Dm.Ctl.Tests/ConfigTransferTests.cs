namespace Dm.Ctl.Tests;

/// <summary>config export/import round trip through a directory of DM YAML files.</summary>
[Collection(CtlCollection.Name)]
public sealed class ConfigTransferTests(CtlEnvironment env)
{
    [Fact]
    public async Task ExportThenImportRecreatesSourcesAndTasks()
    {
        var source = env.WriteFile("transfer/source.yaml", SampleConfigs.Source("x-src", env.Upstream2));
        (await env.Dmctl("operate-source", "create", source)).Ok();
        (await env.Dmctl("start-task", env.WriteFile("transfer/task.yaml", SampleConfigs.Task("x-task", env.Target, "full", "x-src")))).Ok();

        var dir = Path.Combine(env.WorkDirectory, "transfer", "exported");
        var exported = (await env.Dmctl("config", "export", "-p", dir)).Ok();
        Assert.Contains("******", exported["msg"]!.GetValue<string>());
        var sourceFile = Path.Combine(dir, "sources", "x-src.yaml");
        var taskFile = Path.Combine(dir, "tasks", "x-task.yaml");
        Assert.Contains("source-id: x-src", File.ReadAllText(sourceFile));
        Assert.Contains("name: \"x-task\"", File.ReadAllText(taskFile)); // the file as start-task was given it

        // Only this test's configs go back in; others in the shared master are not ours to recreate.
        foreach (var other in Directory.GetFiles(Path.Combine(dir, "sources")).Where(f => f != sourceFile)) File.Delete(other);
        foreach (var other in Directory.GetFiles(Path.Combine(dir, "tasks")).Where(f => f != taskFile)) File.Delete(other);

        (await env.Dmctl("stop-task", "x-task")).Ok();
        (await env.Dmctl("operate-source", "stop", "x-src")).Ok();

        var refused = (await env.Dmctl("config", "import", "-p", dir)).Failed(49001);
        Assert.Contains("obfuscated password", refused);
        Assert.Contains(sourceFile, refused);
        Assert.Contains("x-src", (await env.Dmctl("operate-source", "show", "-s", "x-src")).Failed(46008));

        File.WriteAllText(sourceFile, File.ReadAllText(sourceFile).Replace("******", env.Upstream2.Password));
        File.WriteAllText(taskFile, File.ReadAllText(taskFile).Replace("******", env.Target.Password));
        var imported = (await env.Dmctl("config", "import", "-p", dir)).Ok();
        Assert.Equal(1, imported["sources"]!.GetValue<int>());
        Assert.Equal(1, imported["tasks"]!.GetValue<int>());
        Assert.Single((await env.Dmctl("operate-source", "show", "-s", "x-src")).Ok()["sources"]!.AsArray());
        var status = (await env.Dmctl("query-status", "x-task")).Ok();
        Assert.Equal("x-src", status["sources"]![0]!["sourceStatus"]!["source"]!.GetValue<string>());

        (await env.Dmctl("stop-task", "x-task")).Ok();
        (await env.Dmctl("operate-source", "stop", "x-src")).Ok();
    }

    [Fact]
    public async Task MasterConfigIsServedAsItsTomlAndWorkerConfigIsNot()
    {
        var toml = (await env.Dmctl("config", "master", env.Master.Name)).Ok()["cfg"]!.GetValue<string>();
        Assert.Contains($"name = \"{env.Master.Name}\"", toml);
        Assert.Contains($"master-addr = \"127.0.0.1:{env.Master.Port}\"", toml);
        Assert.Contains("openapi = true", toml);

        // The file is one dm-master's --config reads (an unknown key would stop it); its flags win over the file.
        var file = Path.Combine(env.WorkDirectory, "master-config", "master.toml");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        (await env.Dmctl("get-config", "master", env.Master.Name, "--file", file)).Ok();
        Assert.Equal(toml, File.ReadAllText(file));
        await using (var second = await Dm.TestKit.DmMasterProcess.StartAsync("master-from-toml", ["--config", file]))
        {
            var run = await DmctlProcess.RunAsync(["--master-addr", $"127.0.0.1:{second.Port}", "config", "master", "master-from-toml"]);
            Assert.Contains("name = \"master-from-toml\"", run.Ok()["cfg"]!.GetValue<string>());
        }

        Assert.Contains("nobody", (await env.Dmctl("config", "master", "nobody")).Failed(38048));
        Assert.Contains("no query for its running configuration", (await env.Dmctl("get-config", "worker", "worker1")).Failed(49001));
        Assert.Contains("x-none", (await env.Dmctl("config", "task", "x-none")).Failed(46018));
        Assert.Contains("x-none", (await env.Dmctl("config", "source", "x-none")).Failed(46008));
    }
}
