using System.Text.Json.Nodes;

namespace Dm.Ctl.Tests;

/// <summary>start-task with DM's task.yaml, the stage commands, query-status in its DM shapes, and the config views.</summary>
[Collection(CtlCollection.Name)]
public sealed class TaskCommandTests(CtlEnvironment env)
{
    private async Task Sources(string dir, params string[] ids)
    {
        var files = ids.Select((id, i) => env.WriteFile($"{dir}/source-{i}.yaml", SampleConfigs.Source(id, i == 0 ? env.Upstream1 : env.Upstream2))).ToArray();
        (await env.Dmctl(["operate-source", "create", .. files])).Ok();
    }

    [Fact]
    public async Task StartQueryPauseResumeStopWithDmTaskYaml()
    {
        await Sources("task-life", "t-life-1", "t-life-2");
        var file = env.WriteFile("task-life/task.yaml", SampleConfigs.Task("life", env.Target, "all", "t-life-1", "t-life-2"));

        var started = (await env.Dmctl("start-task", file)).Ok();
        Assert.Equal(["t-life-1", "t-life-2"], started["sources"]!.AsArray().Select(s => s!["source"]!.GetValue<string>()));
        Assert.Equal("pre-check is passed. ", started["checkResult"]!.GetValue<string>());

        // Summary form: one line per task.
        var summary = (await env.Dmctl("query-status")).Ok();
        var line = summary["tasks"]!.AsArray().Single(t => t!["taskName"]!.GetValue<string>() == "life")!;
        Assert.Equal(["t-life-1", "t-life-2"], line["sources"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(line["taskStatus"]!.GetValue<string>()));

        // Full form, by name and by file, with DM's field names.
        foreach (var arg in new[] { "life", file })
        {
            var status = (await env.Dmctl("query-status", arg)).Ok();
            var sources = status["sources"]!.AsArray();
            Assert.Equal(2, sources.Count);
            var first = sources[0]!;
            Assert.Equal("t-life-1", first["sourceStatus"]!["source"]!.GetValue<string>());
            Assert.True(first.AsObject().ContainsKey("subTaskStatus"));
            var sub = first["subTaskStatus"]![0]!;
            Assert.Equal("life", sub["name"]!.GetValue<string>());
            Assert.Contains(sub["stage"]!.GetValue<string>(), new[] { "New", "Running", "Paused", "Stopped", "Finished" });
            Assert.True(sub.AsObject().ContainsKey("unresolvedDDLLockID"));
        }
        var one = (await env.Dmctl("query-status", "life", "-s", "t-life-2")).Ok();
        Assert.Equal("t-life-2", Assert.Single(one["sources"]!.AsArray())!["sourceStatus"]!["source"]!.GetValue<string>());

        var paused = (await env.Dmctl("pause-task", "life")).Ok();
        Assert.Equal("Pause", paused["op"]!.GetValue<string>());
        Assert.Equal(2, paused["sources"]!.AsArray().Count);
        Assert.Equal("Resume", (await env.Dmctl("resume-task", file, "-s", "t-life-1")).Ok()["op"]!.GetValue<string>());
        Assert.Contains("nope", (await env.Dmctl("pause-task", "life", "-s", "nope")).Failed(46008));

        // The stored task is the file as given (DM#'s task_config_file), password hidden.
        var yaml = (await env.Dmctl("config", "task", "life")).Ok()["cfg"]!.GetValue<string>();
        Assert.Equal(File.ReadAllText(file).Replace($"password: \"{env.Target.Password}\"", "password: \"******\""), yaml);
        Assert.Contains("target-schema: \"shop_all\"", yaml);
        Assert.DoesNotContain(env.Target.Password, yaml);
        var path = Path.Combine(env.WorkDirectory, "task-life", "exported.yaml");
        (await env.Dmctl("get-config", "task", "life", "--file", path)).Ok();
        Assert.Equal(yaml, File.ReadAllText(path));

        // Starting it twice is refused; stop-task removes it, as DM's does.
        Assert.Contains("life", (await env.Dmctl("start-task", file)).Failed(46014));
        Assert.Equal("Delete", (await env.Dmctl("stop-task", "life")).Ok()["op"]!.GetValue<string>());
        Assert.Contains("life", (await env.Dmctl("query-status", "life")).Failed(46018));
        Assert.Contains("life", (await env.Dmctl("stop-task", "life")).Failed(46018));
    }

    [Fact]
    public async Task TaskYamlTheOpenApiCannotCarryIsKeptWholeAndShownAsGiven()
    {
        await Sources("task-lossy", "t-lossy");
        // ignore-tables, a Do filter and a schema-only route have no OpenAPI form: the file travels whole (task_config_file).
        var yaml = SampleConfigs.Task("lossy", env.Target, "all", "t-lossy")
            .Replace("do-dbs: [\"shop\", \"logs\"]", "do-dbs: [\"shop\", \"logs\"]\n    ignore-tables:\n    - db-name: \"shop\"\n      tbl-name: \"customers\"")
            .Replace("action: Ignore", "action: Do")
            .Replace("worker-count: 16", "worker-count: 16\n    compact: true\n    multiple-rows: true");
        (await env.Dmctl("start-task", env.WriteFile("task-lossy/task.yaml", yaml))).Ok();
        var shown = yaml.Replace($"password: \"{env.Target.Password}\"", "password: \"******\"");
        Assert.Equal(shown, (await env.Dmctl("config", "task", "lossy")).Ok()["cfg"]!.GetValue<string>());
        (await env.Dmctl("stop-task", "lossy")).Ok();

        // A setting DM# does not apply is refused, naming the key, and nothing is created.
        var unapplied = SampleConfigs.Task("lossy", env.Target, "all", "t-lossy").TrimEnd() + "\ncollation_compatible: \"strict\"\n";
        var msg = (await env.Dmctl("start-task", env.WriteFile("task-lossy/unapplied.yaml", unapplied))).Failed(20003);
        Assert.Contains("collation_compatible is strict", msg);
        Assert.Contains("lossy", (await env.Dmctl("query-status", "lossy")).Failed(46018));
    }

    [Fact]
    public async Task FailedStartLeavesNoTaskBehind()
    {
        await Sources("task-incr", "t-incr");
        var file = env.WriteFile("task-incr/task.yaml", SampleConfigs.Task("incr", env.Target, "incremental", "t-incr"));
        Assert.Contains("t-incr", (await env.Dmctl("start-task", file)).Failed(20022));
        Assert.Contains("incr", (await env.Dmctl("query-status", "incr")).Failed(46018));

        (await env.Dmctl("start-task", file, "--start-time", "2026-01-02 15:04:05")).Ok();
        (await env.Dmctl("stop-task", file)).Ok();
    }

    [Fact]
    public async Task MissingSourceAndBadTaskContentAreRefused()
    {
        var file = env.WriteFile("task-nosrc/task.yaml", SampleConfigs.Task("nosrc", env.Target, "all", "no-such-source"));
        Assert.Contains("no-such-source", (await env.Dmctl("start-task", file)).Failed(46008));

        await Sources("task-badmode", "t-badmode");
        var badMode = env.WriteFile("task-badmode/task.yaml", SampleConfigs.Task("badmode", env.Target, "sideways", "t-badmode"));
        Assert.Equal(1, (await env.Dmctl("start-task", badMode)).ExitCode);

        var wrongType = env.WriteFile("task-badmode/type.yaml", SampleConfigs.Task("badtype", env.Target, "all", "t-badmode")
            .Replace("worker-count: 16", "worker-count: many"));
        var msg = (await env.Dmctl("start-task", wrongType)).Failed(20003);
        Assert.Contains("worker-count", msg);
    }

    [Fact]
    public async Task StartTaskWithSourcesCreatesOnlyThoseSubtasks()
    {
        await Sources("task-subset", "t-sub-1", "t-sub-2");
        var file = env.WriteFile("task-subset/task.yaml", SampleConfigs.Task("subset", env.Target, "full", "t-sub-1", "t-sub-2"));
        var started = (await env.Dmctl("start-task", "-s", "t-sub-2", file)).Ok();
        Assert.Equal("t-sub-2", Assert.Single(started["sources"]!.AsArray())!["source"]!.GetValue<string>());
        var status = (await env.Dmctl("query-status", "subset")).Ok();
        Assert.Equal("t-sub-2", Assert.Single(status["sources"]!.AsArray())!["sourceStatus"]!["source"]!.GetValue<string>());
        Assert.Contains("not-in-file", (await env.Dmctl("start-task", "-s", "not-in-file", file)).Failed(46008));
        (await env.Dmctl("stop-task", "subset")).Ok();
    }

    [Fact]
    public async Task StopTaskBySourceOperatesEveryTaskOfThatSource()
    {
        await Sources("task-bysrc", "t-bysrc");
        (await env.Dmctl("start-task", env.WriteFile("task-bysrc/a.yaml", SampleConfigs.Task("bysrc-a", env.Target, "full", "t-bysrc")))).Ok();
        (await env.Dmctl("start-task", env.WriteFile("task-bysrc/b.yaml", SampleConfigs.Task("bysrc-b", env.Target, "full", "t-bysrc")))).Ok();
        var paused = (await env.Dmctl("pause-task", "-s", "t-bysrc")).Ok();
        Assert.Equal(["bysrc-a", "bysrc-b"], paused["batchResult"]!.AsArray().Select(r => r!["task"]!.GetValue<string>()).Order());

        var bySource = (await env.Dmctl("query-status", "-s", "t-bysrc")).Ok();
        var subtasks = Assert.Single(bySource["sources"]!.AsArray())!["subTaskStatus"]!.AsArray();
        Assert.Equal(["bysrc-a", "bysrc-b"], subtasks.Select(s => s!["name"]!.GetValue<string>()).Order());

        (await env.Dmctl("stop-task", "-s", "t-bysrc")).Ok();
        Assert.Equal(1, (await env.Dmctl("query-status", "bysrc-a")).ExitCode);
        Assert.Equal(1, (await env.Dmctl("query-status", "bysrc-b")).ExitCode);
    }

    [Fact]
    public async Task BinlogSchemaPassesTheMastersAnswerThrough()
    {
        await Sources("task-schema", "t-schema");
        var file = env.WriteFile("task-schema/task.yaml", SampleConfigs.Task("schema", env.Target, "all", "t-schema"));
        (await env.Dmctl("start-task", file)).Ok();
        // No worker runs the source yet: the master says so (40070) and dmctl fails with it.
        var list = await env.Dmctl("binlog-schema", "list", "schema", "shop", "orders");
        Assert.Equal(40070, ErrorCode(list.Json["sources"]![0]!["msg"]!.GetValue<string>()));
        Assert.Equal(1, list.ExitCode);
        var sqlFile = env.WriteFile("task-schema/orders.sql", "CREATE TABLE orders (id INT PRIMARY KEY, amount DECIMAL(10,2))");
        Assert.Equal(1, (await env.Dmctl("binlog-schema", "update", "schema", "shop", "orders", sqlFile)).ExitCode);
        Assert.Equal(1, (await env.Dmctl("binlog-schema", "delete", "-s", "t-schema", "schema", "shop", "orders")).ExitCode);
        Assert.Contains("exactly one of", (await env.Dmctl("binlog-schema", "update", "schema", "shop", "orders", sqlFile, "--from-source")).Failed(49001));
        Assert.Contains("nope", (await env.Dmctl("binlog-schema", "list", "nope", "shop", "orders")).Failed(46018));
        (await env.Dmctl("stop-task", "schema")).Ok();
    }

    [Fact]
    public async Task WatchRefreshesWithProgressLines()
    {
        await Sources("task-watch", "t-watch");
        (await env.Dmctl("start-task", env.WriteFile("task-watch/task.yaml", SampleConfigs.Task("watch", env.Target, "all", "t-watch")))).Ok();
        var run = await env.Dmctl("query-status", "watch", "--watch", "--interval", "200ms", "--watch-count", "3");
        Assert.Equal(0, run.ExitCode);
        var frames = run.Stdout.Split("query-status at ", StringSplitOptions.RemoveEmptyEntries);
        Assert.True(frames.Length == 3, run.ToString()); // three frames, the last followed by the final JSON
        Assert.Contains("source t-watch (worker none)", frames[0]);
        Assert.Contains("watch", frames[0]);
        var json = run.Stdout[run.Stdout.LastIndexOf("\n{", StringComparison.Ordinal)..];
        Assert.True(JsonNode.Parse(json)!["result"]!.GetValue<bool>());

        var table = await env.Dmctl("query-status", "watch", "-o", "table");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("sources.subTaskStatus:", table.Stdout);
        Assert.Contains(table.Stdout.Split('\n'), l => l.StartsWith("watch ", StringComparison.Ordinal));
        Assert.Contains("invalid --rpc-timeout", (await env.Dmctl("--rpc-timeout", "soon", "query-status")).Failed(49001));
        (await env.Dmctl("stop-task", "watch")).Ok();
    }

    private static int ErrorCode(string msg) => int.Parse(msg["[code=".Length..msg.IndexOf(':')]);
}
