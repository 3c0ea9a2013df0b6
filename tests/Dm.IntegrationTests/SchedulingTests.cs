using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dm.TestKit;

namespace Dm.IntegrationTests;

/// <summary>
/// Real dm-master and dm-worker processes: workers register and stay online by heartbeat, sources are
/// bound to free workers, and a killed worker's source moves to another worker within its keepalive TTL.
/// </summary>
public sealed class SchedulingTests : IAsyncLifetime
{
    private MariaDbServer _upstream = null!;
    private DmMasterProcess _master = null!;

    public async Task InitializeAsync()
    {
        _upstream = await MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 31 });
        _master = await DmMasterProcess.StartAsync("sched-master");
    }

    public async Task DisposeAsync()
    {
        await _master.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task SourceIsBoundAndMovesToAnotherWorkerWhenItsWorkerDies()
    {
        await using var worker1 = await DmWorkerProcess.StartAsync("worker-1", [_master]);
        await WaitForAsync(async () => (await Workers())["worker-1"] == "free", "worker-1 free");

        var create = await _master.Http.PostAsJsonAsync("/api/v1/sources", new
        {
            source = new { source_name = "mysql-01", host = _upstream.Host, port = _upstream.Port, user = _upstream.User,
                password = _upstream.Password, enable_gtid = false, enable = true },
        });
        Assert.Equal(201, (int)create.StatusCode);
        await WaitForAsync(async () => (await Workers())["worker-1"] == "bound:mysql-01", "mysql-01 bound to worker-1");

        await using var worker2 = await DmWorkerProcess.StartAsync("worker-2", [_master]);
        await WaitForAsync(async () => (await Workers()).GetValueOrDefault("worker-2") == "free", "worker-2 free");
        var status = await _master.Http.GetFromJsonAsync<JsonObject>("/api/v1/sources/mysql-01/status");
        Assert.Equal("worker-1", status!["data"]![0]!["worker_name"]!.GetValue<string>());

        // An online worker cannot be taken offline by the API.
        var refused = await _master.Http.DeleteAsync("/api/v1/cluster/workers/worker-1");
        Assert.Equal(400, (int)refused.StatusCode);
        Assert.Equal(46005, (await refused.Content.ReadFromJsonAsync<JsonObject>())!["error_code"]!.GetValue<int>());

        var killedAt = DateTime.UtcNow;
        worker1.Kill();
        await WaitForAsync(async () => (await Workers())["worker-2"] == "bound:mysql-01", "mysql-01 rebound to worker-2",
            TimeSpan.FromSeconds(3 + 10));
        var moved = DateTime.UtcNow - killedAt;
        Assert.True(moved < TimeSpan.FromSeconds(3 + 10), $"rebinding took {moved}");
        Assert.Equal("offline", (await Workers())["worker-1"]);

        // An offline worker can be removed; then it is gone from the list.
        Assert.Equal(204, (int)(await _master.Http.DeleteAsync("/api/v1/cluster/workers/worker-1")).StatusCode);
        Assert.False((await Workers()).ContainsKey("worker-1"));
    }

    [Fact]
    public async Task DeletingASourceFreesItsWorker()
    {
        await using var worker = await DmWorkerProcess.StartAsync("worker-3", [_master]);
        var create = await _master.Http.PostAsJsonAsync("/api/v1/sources", new
        {
            source = new { source_name = "mysql-02", host = _upstream.Host, port = _upstream.Port, user = _upstream.User,
                password = _upstream.Password, enable_gtid = false, enable = true },
        });
        Assert.Equal(201, (int)create.StatusCode);
        await WaitForAsync(async () => (await Workers())["worker-3"] == "bound:mysql-02", "mysql-02 bound");
        using var http = new HttpClient();
        await WaitForAsync(async () => (await http.GetStringAsync($"http://127.0.0.1:{worker.Port}/metrics")).Contains("dm_worker_bound 1"),
            "the worker's /metrics to show its binding");
        Assert.Equal(204, (int)(await _master.Http.DeleteAsync("/api/v1/sources/mysql-02")).StatusCode);
        await WaitForAsync(async () => (await Workers())["worker-3"] == "free", "worker-3 free again");
    }

    [Fact]
    public async Task CreateWithWorkerNameBindsToThatWorker()
    {
        await using var x = await DmWorkerProcess.StartAsync("worker-x", [_master]);
        await using var y = await DmWorkerProcess.StartAsync("worker-y", [_master]);
        await WaitForAsync(async () => (await Workers()).GetValueOrDefault("worker-y") == "free", "worker-y free");
        var create = await _master.Http.PostAsJsonAsync("/api/v1/sources", new
        {
            source = new { source_name = "mysql-04", host = _upstream.Host, port = _upstream.Port, user = _upstream.User,
                password = _upstream.Password, enable_gtid = false, enable = true },
            worker_name = "worker-y",
        });
        Assert.Equal(201, (int)create.StatusCode);
        Assert.Equal("bound:mysql-04", (await Workers())["worker-y"]);
        var busy = await _master.Http.PostAsJsonAsync("/api/v1/sources", new
        {
            source = new { source_name = "mysql-05", host = _upstream.Host, port = _upstream.Port, user = _upstream.User,
                password = _upstream.Password, enable_gtid = false, enable = true },
            worker_name = "worker-y",
        });
        Assert.Equal(46033, (await busy.Content.ReadFromJsonAsync<JsonObject>())!["error_code"]!.GetValue<int>());
        Assert.Equal(404, (int)(await _master.Http.GetAsync("/api/v1/sources/mysql-05")).StatusCode);
    }

    [Fact]
    public async Task TransferMovesTheSourceToAFreeWorker()
    {
        await using var a = await DmWorkerProcess.StartAsync("worker-a", [_master]);
        await WaitForAsync(async () => (await Workers()).GetValueOrDefault("worker-a") == "free", "worker-a free");
        var create = await _master.Http.PostAsJsonAsync("/api/v1/sources", new
        {
            source = new { source_name = "mysql-03", host = _upstream.Host, port = _upstream.Port, user = _upstream.User,
                password = _upstream.Password, enable_gtid = false, enable = true },
        });
        Assert.Equal(201, (int)create.StatusCode);
        await WaitForAsync(async () => (await Workers())["worker-a"] == "bound:mysql-03", "mysql-03 bound to worker-a");
        await using var b = await DmWorkerProcess.StartAsync("worker-b", [_master]);
        await WaitForAsync(async () => (await Workers()).GetValueOrDefault("worker-b") == "free", "worker-b free");

        var toBusy = await _master.Http.PostAsJsonAsync("/api/v1/sources/mysql-03/transfer", new { worker_name = "worker-a" });
        Assert.Equal(200, (int)toBusy.StatusCode); // already there: nothing to do
        var transfer = await _master.Http.PostAsJsonAsync("/api/v1/sources/mysql-03/transfer", new { worker_name = "worker-b" });
        Assert.Equal(200, (int)transfer.StatusCode);
        var workers = await Workers();
        Assert.Equal("bound:mysql-03", workers["worker-b"]);
        Assert.Equal("free", workers["worker-a"]);
        await Task.Delay(2500); // the scheduler leaves it there
        Assert.Equal("bound:mysql-03", (await Workers())["worker-b"]);
        var unknown = await _master.Http.PostAsJsonAsync("/api/v1/sources/mysql-03/transfer", new { worker_name = "worker-z" });
        Assert.Equal(46004, (await unknown.Content.ReadFromJsonAsync<JsonObject>())!["error_code"]!.GetValue<int>());
    }

    [Fact]
    public async Task ADesiredStateOverGrpcsDefaultFourMegabytesReachesTheWorker()
    {
        await using var worker = await DmWorkerProcess.StartAsync("worker-big", [_master]);
        await WaitForAsync(async () => (await Workers()).GetValueOrDefault("worker-big") == "free", "worker-big free");
        var create = await _master.Http.PostAsJsonAsync("/api/v1/sources", new
        {
            source = new { source_name = "mysql-big", host = _upstream.Host, port = _upstream.Port, user = _upstream.User,
                password = _upstream.Password, enable_gtid = false, enable = true },
            worker_name = "worker-big",
        });
        Assert.Equal(201, (int)create.StatusCode);
        await _upstream.ExecuteAsync("CREATE DATABASE IF NOT EXISTS big_src; CREATE TABLE IF NOT EXISTS big_src.t (id INT PRIMARY KEY); INSERT IGNORE INTO big_src.t VALUES (1), (2)");
        // Five tasks of about 1.3 MB each (a long ignore_sql list, as large bodies are): the worker's desired state is over 6 MB.
        var patterns = Enumerable.Range(0, 8000).Select(i => $"^IGNORE_STATEMENT_{i:D6}_" + new string('x', 140)).ToArray();
        for (var i = 1; i <= 5; i++)
        {
            var task = await _master.Http.PostAsJsonAsync("/api/v1/tasks", new
            {
                task = new
                {
                    name = $"big-{i}", task_mode = "full", meta_schema = "dm_meta", enhance_online_schema_change = false, on_duplicate = "replace",
                    target_config = new { host = _upstream.Host, port = _upstream.Port, user = _upstream.User, password = _upstream.Password },
                    binlog_filter_rule = new Dictionary<string, object> { ["long"] = new { ignore_sql = patterns } },
                    table_migrate_rule = new[]
                    {
                        new { source = new { source_name = "mysql-big", schema = "big_src", table = "t" }, target = new { schema = $"big_dst_{i}", table = "" },
                            binlog_filter_rule = new[] { "long" } },
                    },
                    source_config = new { source_conf = new[] { new { source_name = "mysql-big" } } },
                },
            });
            Assert.True((int)task.StatusCode == 201, await task.Content.ReadAsStringAsync());
        }
        Assert.Equal(200, (int)(await _master.Http.PostAsync("/api/v1/tasks/big-5/start", null)).StatusCode);
        await WaitForAsync(async () =>
        {
            var status = await _master.Http.GetFromJsonAsync<JsonObject>("/api/v1/tasks/big-5/status");
            return status!["data"]![0]!["stage"]!.GetValue<string>() == "Finished";
        }, "big-5 to finish on the worker", TimeSpan.FromSeconds(60));
        Assert.Equal(2L, Convert.ToInt64(await _upstream.ScalarAsync("SELECT COUNT(*) FROM big_dst_5.t")));
        Assert.DoesNotContain("received message exceeds", worker.ReadLog(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Worker name → "free" | "offline" | "bound:&lt;source&gt;" from the cluster API.</summary>
    private async Task<Dictionary<string, string>> Workers()
    {
        var list = await _master.Http.GetFromJsonAsync<JsonObject>("/api/v1/cluster/workers");
        return list!["data"]!.AsArray().ToDictionary(
            w => w!["name"]!.GetValue<string>(),
            w => w!["bound_stage"]!.GetValue<string>() is "bound" ? "bound:" + w["bound_source_name"]!.GetValue<string>() : w["bound_stage"]!.GetValue<string>());
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition()) return;
            }
            catch (KeyNotFoundException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"timed out waiting for {what}");
    }
}
