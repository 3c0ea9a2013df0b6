using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dm.TestKit;

namespace Dm.IntegrationTests.Guide;

/// <summary>
/// Every <c>curl</c> example of DM's OpenAPI guide, sent as the guide writes it (the servers' addresses and passwords
/// aside) against a cluster that holds the objects it names, gets the status DM answers with. Before each example the
/// test brings the cluster into the state the example needs: workers, sources, a task in Sync for the table examples.
/// </summary>
public sealed partial class OpenApiGuideTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private MigrationEnvironment _env = null!;
    private readonly List<DmWorkerProcess> _workers = [];

    private HttpClient Http => _env.Master.Http;

    [Fact]
    public async Task Every_example_of_DMs_OpenAPI_guide_gets_DMs_status()
    {
        var examples = OpenApiGuide.Examples();
        Assert.True(examples.Count >= 30, $"only {examples.Count} examples read from {OpenApiGuide.FilePath}");
        var upstream = MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 71 });
        var target = MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 72 });
        _env = MigrationEnvironment.Of(await upstream, await target, await DmMasterProcess.StartAsync("master1"));
        try
        {
            await _env.Upstream.ExecuteAsync("""
                CREATE DATABASE db1;
                CREATE TABLE db1.table1 (id INT PRIMARY KEY, c1 INT, c2 INT, c3 INT);
                INSERT INTO db1.table1 SELECT seq, seq, seq * 2, seq * 3 FROM db1.seq_1_to_100;
                """);
            await StartWorkerAsync("worker1");
            var seen = new List<string>();
            foreach (var example in examples)
            {
                var (expected, prepare) = Plan(example);
                if (prepare != null) await prepare();
                var response = await SendAsync(example);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True((int)response.StatusCode == expected, $"{example}: expected {expected}, got {(int)response.StatusCode} {text}");
                if ((int)response.StatusCode >= 400) AssertDmErrorShape(example, text);
                seen.Add(example.ToString());
            }
            await EveryWorkerOfTheTaskGoneIsShownPerSubtaskAsync();
        }
        finally
        {
            foreach (var worker in _workers) await worker.DisposeAsync();
            await _env.DisposeAsync();
        }
    }

    /// <summary>The status DM answers each example with, and what the cluster must hold first.</summary>
    private (int Status, Func<Task>? Prepare) Plan(GuideExample e) => e.ToString() switch
    {
        "GET /api/v1/cluster/masters" => (200, null),
        // master1 is this cluster's only master, hence its leader: DM too refuses to take the leader offline. The
        // guide's 204 (a master that is down, in a cluster another master leads) is Ha/MasterClusterTests'.
        "DELETE /api/v1/cluster/masters/master1" => (400, null),
        "GET /api/v1/cluster/workers" => (200, null),
        "DELETE /api/v1/cluster/workers/worker1" => (204, async () =>
        {
            _workers.Single(w => w.Name == "worker1").Kill();
            await WaitForWorkerAsync("worker1", "offline");
        }),
        "POST /api/v1/sources" => (201, async () => await StartWorkerAsync("guide-w-a")),
        "GET /api/v1/sources/source-1?with_status=true" => (200, async () =>
        {
            await WaitForWorkerAsync("guide-w-a", "bound");
            await StartWorkerAsync("guide-w-b");
            await CreateSourceAsync("source-1", "guide-w-b");
        }),
        "DELETE /api/v1/sources/mysql-01?force=true" => (204, null),
        "PUT /api/v1/sources/mysql-01" => (200, async () =>
        {
            await WaitForWorkerAsync("guide-w-a", "free");
            await CreateSourceAsync("mysql-01", "guide-w-a");
        }),
        "POST /api/v1/sources/mysql-01/enable" => (200, null),
        "POST /api/v1/sources/mysql-01/disable" => (200, null),
        "GET /api/v1/sources?with_status=true" => (200, null),
        "GET /api/v1/sources/mysql-replica-01/status" => (200, async () =>
        {
            await StartWorkerAsync("guide-w-d");
            await CreateSourceAsync("mysql-replica-01", "guide-w-d");
        }),
        "POST /api/v1/sources/mysql-01/relay/enable" => (200, async () => await StartWorkerAsync("worker-1")),
        "POST /api/v1/sources/mysql-01/relay/disable" => (200, null),
        // DM sends a purge to the source's relay workers: relay on again (disabled by the example before) with files
        // before the guide's mysql-bin.000002, which the purge removes; its relay_dir placeholder is the real sub-directory.
        "POST /api/v1/sources/mysql-01/relay/purge" => (200, PrepareRelayPurgeAsync),
        "POST /api/v1/sources/mysql-01/transfer" => (200, async () => await WaitForWorkerAsync("worker-1", "free")),
        "GET /api/v1/sources/source-1/schemas" => (200, null),
        "GET /api/v1/sources/source-1/schemas/db1" => (200, null),
        // The guide's prose says 200; DM's handler and spec answer 201 Created.
        "POST /api/v1/tasks" => (201, async () => await TrailingCommaIsAClear400Async(e)),
        "GET /api/v1/tasks/task-1?with_status=true" => (200, null),
        "DELETE /api/v1/tasks/task-1" => (204, null),
        "PUT /api/v1/tasks/task-1" => (200, async () => await SendOkAsync(new GuideExample("POST", "/api/v1/tasks", GuideTaskBody()), 201)),
        "POST /api/v1/tasks/task-1/start" => (200, null),
        "POST /api/v1/tasks/task-1/stop" => (200, null),
        "GET /api/v1/tasks/task-1/status?stage=running" => (200, null),
        "GET /api/v1/tasks" => (200, null),
        "GET /api/v1/tasks/task-1/sources/source-1/migrate_targets" => (200, PrepareTableExamplesAsync),
        "GET /api/v1/tasks/task-1/sources/source-1/schemas" => (200, null),
        "GET /api/v1/tasks/task-1/sources/source-1/schemas/db1" => (200, null),
        "GET /api/v1/tasks/task-1/sources/source-1/schemas/db1/table1" => (200, null),
        "PUT /api/v1/tasks/task-1/sources/task-1/schemas/db1/table1" => (200, null),
        // The guide's prose says 200; DM's handler answers 204 No Content.
        "DELETE /api/v1/tasks/task-1/sources/source-1/schemas/db1/table1" => (204, null),
        _ => throw new Xunit.Sdk.XunitException($"the guide has an example this test does not know: {e}"),
    };

    /// <summary>
    /// The table examples name task-1 over sources source-1 and (in the guide's PUT) task-1: the guide's own task-1 is
    /// replaced by one over those two sources, run into Sync (so its schema tracker holds db1.table1) and stopped.
    /// </summary>
    private async Task PrepareTableExamplesAsync()
    {
        Assert.Equal(204, (int)(await Http.DeleteAsync("/api/v1/tasks/task-1?force=true")).StatusCode);
        await StartWorkerAsync("guide-w-c");
        await CreateSourceAsync("task-1", null);
        await _env.CreateTaskAsync(new
        {
            task = new
            {
                name = "task-1", task_mode = "all", meta_schema = "dm_meta", enhance_online_schema_change = false, on_duplicate = "replace",
                target_config = new { host = _env.Target.Host, port = _env.Target.Port, user = _env.Target.User, password = _env.Target.Password },
                table_migrate_rule = new[]
                {
                    new { source = new { source_name = "source-1", schema = "db1", table = "*" }, target = new { schema = "db1_s1", table = "" } },
                    new { source = new { source_name = "task-1", schema = "db1", table = "*" }, target = new { schema = "db1_t1", table = "" } },
                },
                source_config = new { source_conf = new[] { new { source_name = "source-1" }, new { source_name = "task-1" } } },
            },
        });
        await _env.StartTaskAsync("task-1");
        await WaitForSubtasksAsync("task-1", s => s["stage"]!.GetValue<string>() == "Running" && s["unit"]!.GetValue<string>() == "Sync");
        // A row replicated through both subtasks: their schema trackers now hold db1.table1, as in the guide's answers.
        await _env.Upstream.ExecuteAsync("INSERT INTO db1.table1 VALUES (1000, 1, 2, 3)");
        await MigrationEnvironment.WaitForAsync(async () =>
            Convert.ToInt64(await _env.Target.ScalarAsync("SELECT (SELECT COUNT(*) FROM db1_s1.table1 WHERE id = 1000) + (SELECT COUNT(*) FROM db1_t1.table1 WHERE id = 1000)")) == 2,
            "the row replicated by both subtasks", Wait);
        await _env.StopTaskAsync("task-1");
        await WaitForSubtasksAsync("task-1", s => s["stage"]!.GetValue<string>() == "Paused");
    }

    /// <summary>
    /// The guide's purge (files before mysql-bin.000002 in sub-directory "string") needs a relay log of mysql-01 that holds
    /// such files: the upstream rotates past 000002, relay goes on again from mysql-bin.000001 and catches up, and the
    /// sub-directory it writes stands for the guide's placeholder.
    /// </summary>
    private async Task PrepareRelayPurgeAsync()
    {
        await _env.Upstream.ExecuteAsync("FLUSH BINARY LOGS; FLUSH BINARY LOGS");
        var enable = await Http.PostAsJsonAsync("/api/v1/sources/mysql-01/relay/enable", new { relay_binlog_name = "mysql-bin.000001" });
        Assert.True(enable.IsSuccessStatusCode, await enable.Content.ReadAsStringAsync());
        JsonNode? relay = null;
        await MigrationEnvironment.WaitForAsync(async () =>
        {
            var status = (await Http.GetFromJsonAsync<JsonObject>("/api/v1/sources/mysql-01/status"))!["data"]!.AsArray();
            relay = status.Select(s => s!["relay_status"]).FirstOrDefault(r => r is not null);
            return relay?["stage"]?.GetValue<string>() == "Running" && relay["relay_catch_up_master"]!.GetValue<bool>();
        }, "the relay log of mysql-01 to catch up", Wait);
        _relaySubDirectory = relay!["relay_dir"]!.GetValue<string>();
    }

    private string? _relaySubDirectory;

    /// <summary>Every worker killed (none is left to take the sources over): each subtask says no worker serves it, with DM's code.</summary>
    private async Task EveryWorkerOfTheTaskGoneIsShownPerSubtaskAsync()
    {
        foreach (var worker in _workers.Where(w => w.IsRunning)) worker.Kill();
        await WaitForSubtasksAsync("task-1", s => s["error_msg"]?.GetValue<string>() is { } error && error.Contains("code=38021"),
            allowErrors: true);
        var statuses = await SubtaskStatusesAsync("task-1");
        Assert.Equal(["source-1", "task-1"], statuses.Select(s => s["source_name"]!.GetValue<string>()).Order().ToArray());
    }

    /// <summary>The guide's create-task body has a trailing comma inside an array: a 400 that says where, never a 500.</summary>
    private async Task TrailingCommaIsAClear400Async(GuideExample e)
    {
        Assert.Contains("\"rule-3\", ]", e.Body);
        var response = await SendAsync(e with { Body = Substitute(e, e.Body!) }, raw: true);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        AssertDmErrorShape(e, text);
        Assert.Matches(@"binlog_filter_rule|line|position|Line|Position", text);
    }

    private string GuideTaskBody() =>
        OpenApiGuide.Examples().First(x => x.Method == "POST" && x.Path == "/api/v1/tasks").Body!;

    private async Task<HttpResponseMessage> SendAsync(GuideExample e, bool raw = false)
    {
        using var request = new HttpRequestMessage(new HttpMethod(e.Method), e.PathAndQuery);
        if (e.Body != null)
        {
            var body = raw ? e.Body : WithoutTrailingCommas(Substitute(e, e.Body));
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        return await Http.SendAsync(request);
    }

    private async Task SendOkAsync(GuideExample e, int expected)
    {
        var response = await SendAsync(e);
        Assert.True((int)response.StatusCode == expected, $"{e}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// The guide's servers (127.0.0.1:3306, root/123456) in source and task bodies are this test's upstream and target; the
    /// placeholder sub-directory of its relay purge is the relay's real one.
    /// </summary>
    private string Substitute(GuideExample e, string body)
    {
        if (e.Path.EndsWith("/relay/purge", StringComparison.Ordinal) && _relaySubDirectory is not null)
            return body.Replace("\"relay_dir\": \"string\"", $"\"relay_dir\": \"{_relaySubDirectory}\"", StringComparison.Ordinal);
        if (!body.Contains("\"host\"", StringComparison.Ordinal)) return body;
        var server = e.Path.StartsWith("/api/v1/tasks", StringComparison.Ordinal) ? _env.Target : _env.Upstream;
        var address = $"\"host\": \"{server.Host}\", \"port\": {server.Port}, \"user\": \"{server.User}\", \"password\": \"{server.Password}\"";
        var replaced = GuideServer().Replace(body, address);
        Assert.True(replaced != body, $"{e}: the guide's server address was not found in the body");
        return replaced;
    }

    private static string WithoutTrailingCommas(string body) => TrailingComma().Replace(body, "$1");

    private static void AssertDmErrorShape(GuideExample e, string text)
    {
        var error = JsonNode.Parse(text)!.AsObject();
        Assert.True(error["error_msg"]?.GetValue<string>() is { Length: > 0 }, $"{e}: {text}");
        Assert.True(error["error_code"]?.GetValue<int>() > 0, $"{e}: {text}");
    }

    private async Task StartWorkerAsync(string name)
    {
        _workers.Add(await DmWorkerProcess.StartAsync(name, [_env.Master]));
        await WaitForWorkerAsync(name, "free");
    }

    /// <summary>Creates a source over the upstream and waits until it is bound to <paramref name="worker"/> (any free one when null).</summary>
    private async Task CreateSourceAsync(string source, string? worker)
    {
        await _env.CreateSourceAsync(source, _env.Upstream);
        await MigrationEnvironment.WaitForAsync(async () => await BoundWorkerAsync(source) is { } bound && (worker == null || bound == worker),
            $"source {source} bound to {worker ?? "a worker"}", Wait);
    }

    private async Task<string?> BoundWorkerAsync(string source)
    {
        var workers = (await Http.GetFromJsonAsync<JsonObject>("/api/v1/cluster/workers"))!["data"]!.AsArray();
        return workers.FirstOrDefault(w => w!["bound_stage"]!.GetValue<string>() == "bound" && w["bound_source_name"]?.GetValue<string>() == source)
            ?["name"]!.GetValue<string>();
    }

    private async Task WaitForWorkerAsync(string worker, string stage, string? source = null) =>
        await MigrationEnvironment.WaitForAsync(async () =>
        {
            var workers = (await Http.GetFromJsonAsync<JsonObject>("/api/v1/cluster/workers"))!["data"]!.AsArray();
            var w = workers.FirstOrDefault(x => x!["name"]!.GetValue<string>() == worker);
            return w?["bound_stage"]?.GetValue<string>() == stage
                   && (source == null || w["bound_source_name"]?.GetValue<string>() == source);
        }, $"worker {worker} {stage} {source}", Wait);

    private async Task<List<JsonNode>> SubtaskStatusesAsync(string task) =>
        (await Http.GetFromJsonAsync<JsonObject>($"/api/v1/tasks/{task}/status"))!["data"]!.AsArray().Select(s => s!).ToList();

    private async Task WaitForSubtasksAsync(string task, Func<JsonNode, bool> done, bool allowErrors = false)
    {
        List<JsonNode> last = [];
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            last = await SubtaskStatusesAsync(task);
            if (!allowErrors && last.FirstOrDefault(s => s["error_msg"]?.GetValue<string>() is { Length: > 0 }) is { } failed)
                Assert.Fail($"task {task} failed: {failed.ToJsonString()}");
            if (last.Count > 0 && last.All(done)) return;
            await Task.Delay(200);
        }
        Assert.Fail($"task {task}: {string.Join(" ", last.Select(s => s.ToJsonString()))}");
    }

    [GeneratedRegex(@"""host"":\s*""127\.0\.0\.1"",\s*""port"":\s*3306,\s*""user"":\s*""root"",\s*""password"":\s*""123456""")]
    private static partial Regex GuideServer();

    [GeneratedRegex(@",\s*(\])")]
    private static partial Regex TrailingComma();
}
