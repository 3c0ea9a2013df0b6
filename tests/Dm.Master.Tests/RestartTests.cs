using System.Text.Json.Nodes;
using Dm.TestKit;

namespace Dm.Master.Tests;

/// <summary>Everything the API stored survives a clean stop and a kill -9 of dm-master.</summary>
[Collection(MasterCollection.Name)]
public sealed class RestartTests(MasterEnvironment env)
{
    [Fact]
    public async Task SourcesTasksAndTemplatesSurviveRestartAndKill()
    {
        await using var master = await DmMasterProcess.StartAsync("restart-master");
        var api = new ApiClient(master.Http);
        Assert.Equal(201, (await api.Post("/api/v1/sources", new { source = MasterEnvironment.SourceBody("rs-src", env.Upstream1) })).Code);
        Assert.Equal(201, (await api.Post("/api/v1/tasks", new JsonObject { ["task"] = TaskBodies.Full("rs-task", env, "rs-src") }.ToJsonString())).Code);
        Assert.Equal(200, (await api.Post("/api/v1/tasks/rs-task/start")).Code);
        Assert.Equal(201, (await api.Post("/api/v1/tasks/templates", TaskBodies.Full("rs-template", env, "rs-src").ToJsonString())).Code);
        Assert.Equal(200, (await api.Put("/api/v1/cluster/info", new { prometheus_topology = new { host = "127.0.0.1", port = 9090 } })).Code);
        var before = await Snapshot(api);

        await master.StopAsync();
        await master.RestartAsync();
        Assert.Equal(before, await Snapshot(api));

        master.Kill();
        await master.RestartAsync();
        Assert.Equal(before, await Snapshot(api));

        // The stored password still works after the restarts: the upstream answers through the source.
        Assert.Equal(200, (await api.Get("/api/v1/sources/rs-src/schemas")).Code);
        // Stages survived too: a running task cannot be updated.
        var update = await api.Put("/api/v1/tasks/rs-task", new JsonObject { ["task"] = TaskBodies.Full("rs-task", env, "rs-src") }.ToJsonString());
        Assert.Equal(46035, update.ErrorCode);
    }

    [Fact]
    public async Task SecondMasterOnTheSameDataDirFailsFast()
    {
        await using var master = await DmMasterProcess.StartAsync("lock-master");
        var port = FreePort.Next();
        var output = await Assert.ThrowsAsync<InvalidOperationException>(() => ChildProcess.RunAsync("dotnet",
            [RepositoryLayout.ProgramDll("Dm.Master", "dm-master"), "--master-addr", $"127.0.0.1:{port}", "--data-dir", master.DataDirectory],
            TimeSpan.FromSeconds(30)));
        Assert.Contains("in use", output.Message);
    }

    [Fact]
    public async Task BadFlagsExitWithStatus2()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ChildProcess.RunAsync("dotnet",
            [RepositoryLayout.ProgramDll("Dm.Master", "dm-master"), "--no-such-flag", "x"], TimeSpan.FromSeconds(30)));
        Assert.Contains("exited 2", error.Message);
        Assert.Contains("no-such-flag", error.Message);
    }

    /// <summary>Every stored thing as the API shows it.</summary>
    public static async Task<string> Snapshot(ApiClient api)
    {
        var parts = new List<string>();
        foreach (var path in new[] { "/api/v1/sources?with_status=true", "/api/v1/tasks?with_status=true", "/api/v1/tasks/templates", "/api/v1/cluster/info", "/api/v1/cluster/workers" })
        {
            var response = await api.Get(path);
            Assert.Equal(200, (int)response.Status);
            parts.Add(path + " " + response.Body);
        }
        return string.Join("\n", parts);
    }
}
