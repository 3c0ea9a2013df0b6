using System.Diagnostics;
using System.Text.Json.Nodes;
using Dm.TestKit;

namespace Dm.Ctl.Tests;

/// <summary>
/// The commands whose answer depends on workers, against a master of its own with two real dm-worker processes
/// (the shared master's leftover sources would take any worker that joins it): binding and transfer, a DM
/// task.yaml copied and replicated, the stage commands, binlog and binlog-schema answered by the worker, relay
/// switches, and offline-member once a worker has died.
/// </summary>
[Collection(CtlCollection.Name)]
public sealed class WorkerCommandTests(CtlEnvironment env)
{
    [Fact]
    public async Task CommandsAgainstRealWorkers()
    {
        await using var master = await DmMasterProcess.StartAsync("master-w");
        Task<DmctlRun> Dmctl(params string[] args) => DmctlProcess.RunAsync(["--master-addr", $"127.0.0.1:{master.Port}", .. args]);
        await using var w1 = await DmWorkerProcess.StartAsync("ctl-w1", [master]);
        await using var w2 = await DmWorkerProcess.StartAsync("ctl-w2", [master]);

        async Task<Dictionary<string, JsonNode>> Workers() =>
            (await Dmctl("list-member", "--worker")).Ok()["members"]![0]!["worker"]!["workers"]!.AsArray()
                .ToDictionary(w => w!["name"]!.GetValue<string>(), w => w!);
        await Until("both workers registered", async () => (await Workers()).Count == 2);

        var sourceFile = env.WriteFile("workers/source.yaml", SampleConfigs.Source("w-src", env.Upstream1));
        (await Dmctl("operate-source", "create", sourceFile)).Ok();
        string? bound = null;
        await Until("w-src bound", async () =>
        {
            bound = (await Workers()).Values.FirstOrDefault(w => w["source"]!.GetValue<string>() == "w-src")?["name"]!.GetValue<string>();
            return bound != null;
        });
        var other = bound == "ctl-w1" ? "ctl-w2" : "ctl-w1";
        (await Dmctl("transfer-source", "w-src", other)).Ok();
        await Until("w-src moved", async () => (await Workers())[other]["source"]!.GetValue<string>() == "w-src");

        await env.Upstream1.ExecuteAsync("""
            CREATE DATABASE IF NOT EXISTS shop;
            CREATE TABLE IF NOT EXISTS shop.w_items (id INT PRIMARY KEY, note VARCHAR(20));
            REPLACE INTO shop.w_items VALUES (1, 'one'), (2, 'two');
            """);
        var taskFile = env.WriteFile("workers/task.yaml", SampleConfigs.Task("w-task", env.Target, "all", "w-src"));
        Assert.Equal("pre-check is passed. ", (await Dmctl("check-task", taskFile)).Ok()["msg"]!.GetValue<string>());
        (await Dmctl("start-task", "--remove-meta", taskFile)).Ok();
        await Until("w-task in Sync", async () => Subtask(await Dmctl("query-status", "w-task")) is { } s
            && s["stage"]!.GetValue<string>() == "Running" && s["unit"]!.GetValue<string>() == "Sync");
        Assert.Equal(2L, Convert.ToInt64(await env.Target.ScalarAsync("SELECT COUNT(*) FROM shop_all.w_items")));
        await env.Upstream1.ExecuteAsync("INSERT INTO shop.w_items VALUES (3, 'three')");
        await Until("row 3 replicated", async () => Convert.ToInt64(await env.Target.ScalarAsync("SELECT COUNT(*) FROM shop_all.w_items")) == 3);

        // The worker answers binlog and binlog-schema for the running subtask.
        var tracked = (await Dmctl("binlog-schema", "list", "w-task", "shop", "w_items")).Ok();
        Assert.Contains("CREATE TABLE", tracked["sources"]![0]!["msg"]!.GetValue<string>());
        // An operation at a position the subtask has not reached is recorded by the worker, listed, and reverted.
        const string ahead = "mysql-bin.999999:4";
        (await Dmctl("binlog", "skip", "-b", ahead, "w-task")).Ok();
        Assert.Contains("skip", (await Dmctl("binlog", "list", "w-task")).Ok()["sources"]![0]!["msg"]!.GetValue<string>());
        (await Dmctl("binlog", "replace", "-b", "mysql-bin.999999:8", "w-task", "ALTER TABLE shop.w_items ADD INDEX i_note (note)")).Ok();
        (await Dmctl("binlog", "revert", "-b", ahead, "w-task")).Ok();
        (await Dmctl("handle-error", "w-task", "-b", "mysql-bin.999999:8", "revert")).Ok();
        Assert.DoesNotContain("skip", (await Dmctl("binlog", "list", "w-task")).Ok()["sources"]![0]!["msg"]!.GetValue<string>());

        // The running task saved as a template comes back as DM's task.yaml.
        var taskJson = (await master.Http.PostAsync("/api/v1/tasks/converters", Json(new JsonObject { ["task_config_file"] = File.ReadAllText(taskFile) })))
            .Content.ReadAsStringAsync();
        var template = JsonNode.Parse(await taskJson)!["task"]!.DeepClone();
        template["name"] = "w-template";
        // The converter's task carries the file it came from (task_config_file, named w-task): a template under another
        // name is the OpenAPI task alone (a file whose name differs from the task's is refused).
        template.AsObject().Remove("task_config_file");
        template["target_config"]!["password"] = env.Target.Password; // the converter hides it; the template is pre-checked
        var saved = await master.Http.PostAsync("/api/v1/tasks/templates", Json(template));
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        Assert.Contains("name: w-template", (await Dmctl("config", "task-template", "w-template")).Ok()["cfg"]!.GetValue<string>());

        (await Dmctl("pause-task", "w-task")).Ok();
        await Until("w-task paused", async () => Subtask(await Dmctl("query-status", "w-task"))?["stage"]!.GetValue<string>() == "Paused");
        (await Dmctl("resume-task", "w-task")).Ok();
        await Until("w-task running", async () => Subtask(await Dmctl("query-status", "w-task"))?["stage"]!.GetValue<string>() == "Running");

        // start-relay: the bound worker pulls the relay log, which query-status shows, and the task reads it; pause-relay
        // and resume-relay stop and restart the pull; stop-relay ends it.
        (await Dmctl("start-relay", "-s", "w-src")).Ok();
        await Until("the relay running", async () =>
            (await Dmctl("query-status", "w-task")).Ok()["sources"]![0]!["sourceStatus"]!["relayStatus"]?["stage"]?.GetValue<string>() == "Running");
        (await Dmctl("pause-relay", "-s", "w-src")).Ok();
        await Until("the relay paused", async () =>
            (await Dmctl("query-status", "w-task")).Ok()["sources"]![0]!["sourceStatus"]!["relayStatus"]?["stage"]?.GetValue<string>() == "Paused");
        (await Dmctl("resume-relay", "-s", "w-src")).Ok();
        await Until("the relay running again", async () =>
            (await Dmctl("query-status", "w-task")).Ok()["sources"]![0]!["sourceStatus"]!["relayStatus"]?["stage"]?.GetValue<string>() == "Running");
        (await Dmctl("stop-relay", "-s", "w-src")).Ok();

        (await Dmctl("stop-task", "w-task")).Ok();
        (await Dmctl("operate-source", "stop", "w-src")).Ok();

        // A worker that died is offline once its keepalive lapses; then offline-member removes it.
        var dead = other == "ctl-w1" ? w2 : w1;
        dead.Kill();
        await Until($"{dead.Name} offline", async () => (await Workers())[dead.Name]["stage"]!.GetValue<string>() == "offline");
        (await Dmctl("offline-member", "--worker", "--name", dead.Name)).Ok();
        Assert.False((await Workers()).ContainsKey(dead.Name));
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    private static JsonNode? Subtask(DmctlRun status) =>
        status.ExitCode == 0 ? status.Json["sources"]?[0]?["subTaskStatus"]?[0] : null;

    private static async Task Until(string what, Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(90)) throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(300);
        }
    }
}
