using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dm.TestKit;

namespace Dm.Bench.Sync;

/// <summary>
/// DM#: a dm-master and a dm-worker process, the upstream as a source and an <c>incremental</c> task through the
/// OpenAPI whose meta is the position to start from and whose <c>repl_threads</c> is the benchmark's thread count. The
/// relay variant has relay enabled on its source from the start: its worker pulls the backlog into its relay log as the
/// upstream writes it, and the task reads that (DM's binlog type local) instead of the upstream.
/// </summary>
internal sealed class DmPeer : IReplicationPeer, IAsyncDisposable
{
    private const string SourceName = "bench-source";
    private const string TaskName = "bench";

    private readonly BenchOptions _options;
    private readonly DmMasterProcess _master;
    private readonly DmWorkerProcess _worker;

    private DmPeer(MariaDbServer target, BenchOptions options, DmMasterProcess master, DmWorkerProcess worker, bool relay)
    {
        Target = target;
        _options = options;
        _master = master;
        _worker = worker;
        Relay = relay;
    }

    /// <summary>Whether the task reads the worker's relay log rather than the upstream.</summary>
    public bool Relay { get; }

    public string Name => Relay ? "DM# (relay)" : "DM#";

    public MariaDbServer Target { get; }

    public IReadOnlyList<(string Label, string CommandLineFragment)> Processes =>
        [("dm-worker", $"--worker-addr 127.0.0.1:{_worker.Port}"), ("DM# target mariadbd", $"--port={Target.Port}")];

    /// <summary>Starts the processes and registers the source, so none of that is in the timed part.</summary>
    public static async Task<DmPeer> StartAsync(MariaDbServer upstream, MariaDbServer target, BenchOptions options, CancellationToken cancellationToken,
        bool relay = false)
    {
        var master = await DmMasterProcess.StartAsync(relay ? "bench-relay-master" : "bench-master", cancellationToken: cancellationToken);
        try
        {
            // DM's default keep-alive: a worker busy on a loaded 2-core machine must not be declared offline mid-run.
            var worker = await DmWorkerProcess.StartAsync(relay ? "bench-relay-worker" : "bench-worker", [master], keepAliveTtlSeconds: 60,
                cancellationToken: cancellationToken);
            var peer = new DmPeer(target, options, master, worker, relay);
            await peer.PostAsync("/api/v1/sources", new
            {
                source = new { source_name = SourceName, host = upstream.Host, port = upstream.Port, user = upstream.User, password = upstream.Password,
                    enable_gtid = false, enable = true, relay_config = new { enable_relay = relay } },
            }, cancellationToken);
            return peer;
        }
        catch
        {
            await master.DisposeAsync();
            throw;
        }
    }

    public Task<string> DescribeAsync(CancellationToken cancellationToken) =>
        Task.FromResult($"incremental task, repl_threads (syncer worker-count)={_options.Threads}, repl_batch={_options.Batch}, safe_mode=false"
            + (Relay ? ", reading the relay log (relay pulled before the timed part)" : ""));

    /// <summary>
    /// The relay variant: waits until the worker's relay log holds the upstream's binlog up to <paramref name="end"/> (the
    /// timed part then measures Sync reading it, as a task does when its relay is current).
    /// </summary>
    public async Task WaitRelayHoldsAsync(BinlogCoordinates end, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var status = await _master.Http.GetFromJsonAsync<JsonObject>($"/api/v1/sources/{SourceName}/status", cancellationToken);
            var relay = status?["data"]?[0]?["relay_status"];
            if (BinlogCoordinates.ParseDmStatus(relay?["master_binlog"]?.GetValue<string>()) is { } master && master.CompareTo(end) >= 0
                && relay?["relay_catch_up_master"]?.GetValue<bool>() == true)
            {
                Console.WriteLine($"{Name}: relay log holds the backlog ({clock.Elapsed.TotalSeconds:F1} s after it was written)");
                return;
            }
            if (clock.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException($"{Name}: the relay log did not catch up: {relay?.ToJsonString()}");
            await Task.Delay(200, cancellationToken);
        }
    }

    public async Task StartAsync(BinlogCoordinates from, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await PostAsync("/api/v1/tasks", new
        {
            task = new
            {
                name = TaskName, task_mode = "incremental", meta_schema = "dm_meta", enhance_online_schema_change = false, on_duplicate = "replace",
                target_config = new { host = Target.Host, port = Target.Port, user = Target.User, password = Target.Password },
                table_migrate_rule = new[] { new { source = new { source_name = SourceName, schema = "sbtest", table = "*" } } },
                source_config = new
                {
                    incr_migrate_conf = new { repl_threads = _options.Threads, repl_batch = _options.Batch, safe_mode = false },
                    source_conf = new[] { new { source_name = SourceName, binlog_name = from.File, binlog_pos = from.Position } },
                },
            },
        }, cancellationToken);
        var created = clock.Elapsed;
        await PostAsync($"/api/v1/tasks/{TaskName}/start", new { }, cancellationToken);
        // Part of DM#'s start-up, shown apart from the rest of it (scheduling, the worker's Sync init).
        Console.WriteLine($"{Name}: started at {DateTime.UtcNow - clock.Elapsed:HH:mm:ss.fff} UTC; POST /tasks answered in {created.TotalSeconds:F2} s, POST /tasks/{TaskName}/start in {(clock.Elapsed - created).TotalSeconds:F2} s");
    }

    /// <summary>
    /// Deletes the task and then waits until the worker's log says its subtask stopped (the target must see no more
    /// writes before the next round resets it). The master's DELETE already waits for that, but only up to 10 s.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var stoppedBefore = CountStops(_worker.ReadLog());
        using var response = await _master.Http.DeleteAsync($"/api/v1/tasks/{TaskName}?force=true", cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{Name}: DELETE task answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (CountStops(_worker.ReadLog()) == stoppedBefore)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{Name}: the worker did not stop task {TaskName}\n{Tail(_worker.ReadLog())}");
            await Task.Delay(50, cancellationToken);
        }
    }

    private static int CountStops(string log) => log.Split('\n').Count(l => l.Contains($"subtask {TaskName} stopped: no longer assigned", StringComparison.Ordinal));

    public async Task ThrowIfFailedAsync(CancellationToken cancellationToken)
    {
        var status = await StatusAsync(cancellationToken);
        var stage = status["stage"]?.GetValue<string>();
        var error = status["error_msg"]?.GetValue<string>();
        // Not "Stopped": the status shows it for a moment after the start, before the worker reports the subtask running.
        if (stage is "Paused" || !string.IsNullOrEmpty(error))
            throw new InvalidOperationException($"{Name}: task {TaskName} is {stage} in unit {status["unit"]}: {error}\n--- worker log (tail) ---\n{Tail(_worker.ReadLog())}");
    }

    public async Task<BinlogCoordinates?> AppliedPositionAsync(CancellationToken cancellationToken) =>
        BinlogCoordinates.ParseDmStatus((await StatusAsync(cancellationToken))["sync_status"]?["syncer_binlog"]?.GetValue<string>());

    private async Task<JsonNode> StatusAsync(CancellationToken cancellationToken)
    {
        var body = await _master.Http.GetFromJsonAsync<JsonObject>($"/api/v1/tasks/{TaskName}/status", cancellationToken);
        return body?["data"]?[0] ?? throw new InvalidOperationException($"{Name}: no subtask in the status of task {TaskName}: {body?.ToJsonString()}");
    }

    private async Task PostAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await _master.Http.PostAsJsonAsync(path, body, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{Name}: POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
    }

    private static string Tail(string log, int lines = 30) => string.Join('\n', log.Split('\n').TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        if (_options.DmLogDirectory is { } keep)
        {
            Directory.CreateDirectory(keep);
            await File.WriteAllTextAsync(Path.Combine(keep, "dm-worker.log"), _worker.ReadLog());
            await File.WriteAllTextAsync(Path.Combine(keep, "dm-master.log"), _master.ReadLog());
        }
        await _worker.DisposeAsync();
        await _master.DisposeAsync();
    }
}
