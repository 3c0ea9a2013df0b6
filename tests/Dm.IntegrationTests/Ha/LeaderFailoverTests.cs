using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dm.IntegrationTests.Sync;
using Dm.TestKit;
using Dm.TestKit.Workloads;

namespace Dm.IntegrationTests.Ha;

/// <summary>
/// Three dm-masters, two dm-workers, real MariaDB: while an <c>all</c> task replicates a random workload, the leader is
/// killed with SIGKILL again and again (its machine with its etcd member, or the master alone, in turn) and started again.
/// Meanwhile the API, asked in a loop on the masters that run, always answers (a follower forwards; during an election a
/// short 503 in DM's error shape saying so); a new leader takes over within the election-ttl and keeps the source on its
/// worker; the task never stops; and the target ends equal to the source, nothing lost, nothing applied twice.
/// </summary>
public sealed class LeaderFailoverTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Task = "failover";
    /// <summary>Each master's election-ttl, in seconds.</summary>
    private const int ElectionTtl = 3;
    private const int Kills = 5;

    [Fact]
    public async Task The_leader_killed_again_and_again_loses_nothing_and_stops_nothing()
    {
        var upstreamStart = MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 171 });
        var targetStart = MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 172 });
        await using var cluster = await DmMasterCluster.StartAsync(3, ElectionTtl, namePrefix: "fo-master");
        await using var upstream = await upstreamStart;
        await using var target = await targetStart;
        // Workers' keepalive-ttl well beyond a failover: a new leader keeps them, and their source, without rebinding. A
        // worker stops its subtasks after two thirds of its TTL without a master (split brain): 10 s (6.7 s) was within
        // reach of a failover (up to 7 s seen) plus a heartbeat period, and the subtask was then restarting when asked.
        await using var worker1 = await DmWorkerProcess.StartAsync("fo-worker-1", cluster.Masters, keepAliveTtlSeconds: 20);
        await using var worker2 = await DmWorkerProcess.StartAsync("fo-worker-2", cluster.Masters, keepAliveTtlSeconds: 20);
        var down = new ConcurrentDictionary<DmMasterProcess, bool>();

        var workload = RandomWorkload.For(upstream, new WorkloadOptions
        {
            Connections = 2, Duration = TimeSpan.FromMinutes(3), OperationDelay = TimeSpan.FromMilliseconds(5),
            LargeTransactionRate = 0.002, Log = output.WriteLine, Tables = new WorkloadTables { WithMariaDbTypes = false },
        }, seedRows: 500);
        await workload.CreateTablesAsync();
        var leader = await cluster.WaitForLeaderAsync();
        Assert.Equal(201, (int)(await leader.Http.PostAsJsonAsync("/api/v1/sources", new
        {
            source = new { source_name = SyncTestEnvironment.SourceName, host = upstream.Host, port = upstream.Port, user = upstream.User,
                password = upstream.Password, enable_gtid = false, enable = true },
        })).StatusCode);
        var follower = cluster.Masters.First(m => m != leader);
        var create = await follower.Http.PostAsJsonAsync("/api/v1/tasks", SyncTestEnvironment.TaskBody(target, Task, "all", workload.Tables, safeMode: false));
        Assert.True((int)create.StatusCode == 201, await create.Content.ReadAsStringAsync());
        Assert.Equal(200, (int)(await follower.Http.PostAsync($"/api/v1/tasks/{Task}/start", null)).StatusCode);
        await MigrationEnvironment.WaitForAsync(async () => await StatusAsync(leader) is { } s && s["unit"]?.GetValue<string>() == "Sync"
            && s["stage"]?.GetValue<string>() == "Running", $"task {Task} running in Sync", TimeSpan.FromSeconds(90));
        var boundWorker = (await StatusAsync(leader))!["worker_name"]!.GetValue<string>();

        using var stop = new CancellationTokenSource();
        var writing = workload.RunAsync(stop.Token);
        var asking = AskAllTheTimeAsync(cluster, down, stop.Token);
        var failovers = new List<double>();
        var moments = new Random(workload.Options.Seed);
        for (var kill = 1; kill <= Kills; kill++)
        {
            await System.Threading.Tasks.Task.Delay(moments.Next(1000, 3000));
            Assert.False(writing.IsFaulted, writing.Exception?.ToString());
            leader = await cluster.WaitForLeaderAsync();
            down[leader] = true;
            var clock = Stopwatch.StartNew();
            // Odd kills take the machine (master and etcd member), even ones the master alone (it takes its member over again).
            if (kill % 2 == 1) leader.Kill();
            else leader.KillMasterOnly();
            var next = await cluster.WaitForLeaderAsync(except: leader, timeout: TimeSpan.FromSeconds(ElectionTtl + 20));
            failovers.Add(clock.Elapsed.TotalSeconds);
            output.WriteLine($"kill {kill}: {leader.Name} ({(kill % 2 == 1 ? "with its etcd member" : "alone")}); {next.Name} leads after {clock.Elapsed.TotalSeconds:0.0} s");
            await leader.RestartAsync();
            down.TryRemove(leader, out _);
        }
        await stop.CancelAsync();
        await writing;
        var answers = await asking;

        output.WriteLine($"time to a new leader after kill -9 (s): {string.Join(", ", failovers.Select(f => f.ToString("0.0")))}; " +
            $"max {failovers.Max():0.0}, election-ttl {ElectionTtl}");
        output.WriteLine(answers.Summary());
        foreach (var master in cluster.Masters)
            output.WriteLine($"{master.Name}: " + string.Join(" | ", master.ReadLog().Split('\n').Where(l => l.Contains("is the leader: took over"))
                .Select(l => l[(l.IndexOf("took over", StringComparison.Ordinal))..].Split(',')[0])));
        Assert.Empty(answers.Failures);
        Assert.True(answers.Answered > 50, answers.Summary());
        Assert.All(failovers, f => Assert.True(f < ElectionTtl + 10, $"a new leader took {f:0.0} s"));
        // The task never stopped, and its source never moved: whenever the leader had the worker's report, it ran in Sync there.
        Assert.DoesNotContain(answers.Stages, s => s != "Running/Sync" && s != "no report yet");
        Assert.Equal([boundWorker], answers.Workers.Distinct());

        var live = await cluster.WaitForLeaderAsync();
        // Each master that took over reports how long after its predecessor's last session renewal it did.
        var reported = new List<double>();
        foreach (var master in cluster.Masters)
        {
            var line = (await master.Http.GetStringAsync("/metrics")).Split('\n').Single(l => l.StartsWith("dm_master_failover_seconds ", StringComparison.Ordinal));
            output.WriteLine($"{master.Name}'s /metrics: {line}");
            reported.Add(double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.Contains(reported, r => r > 0);
        Assert.All(reported, r => Assert.InRange(r, 0, ElectionTtl + 10));
        await Convergence.AssertConvergesAsync(upstream, target, workload, TimeSpan.FromSeconds(120),
            describe: async () => (await StatusAsync(live))?.ToJsonString() ?? "(no status)");
        // The data may converge before the worker, which applies on while it looks for the new leader, has heartbeated to
        // it: until then the leader has no report of the subtask ("no report yet", InvalidUnit without an error).
        JsonNode final = null!;
        await MigrationEnvironment.WaitForAsync(async () => (final = (await StatusAsync(live))!) is { } s
            && !(s["unit"]?.GetValue<string>() == "InvalidUnit" && s["error_msg"] == null), "the worker's report at the last leader", TimeSpan.FromSeconds(30));
        Assert.Equal(("Running", "Sync", boundWorker),
            (final["stage"]!.GetValue<string>(), final["unit"]!.GetValue<string>(), final["worker_name"]!.GetValue<string>()));
    }

    private static async Task<JsonNode?> StatusAsync(DmMasterProcess master)
    {
        using var response = await master.Http.GetAsync($"/api/v1/tasks/{Task}/status");
        return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonObject>())!["data"]![0] : null;
    }

    /// <summary>Asks the task's status of the masters that run, in turn, until stopped; every answer is judged.</summary>
    private static async Task<Answers> AskAllTheTimeAsync(DmMasterCluster cluster, ConcurrentDictionary<DmMasterProcess, bool> down, CancellationToken stop)
    {
        var answers = new Answers();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        for (var turn = 0; !stop.IsCancellationRequested; turn++)
        {
            var up = cluster.Masters.Where(m => !down.ContainsKey(m)).ToList();
            var master = up[turn % up.Count];
            try
            {
                using var response = await http.GetAsync(new Uri(master.BaseAddress, $"/api/v1/tasks/{Task}/status"), CancellationToken.None);
                var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                answers.Judge(master.Name, (int)response.StatusCode, body);
            }
            catch (HttpRequestException e) when (down.ContainsKey(master))
            {
                _ = e; // killed while it was being asked
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                answers.Failures.Add($"{master.Name}: {e.Message}");
            }
            try { await System.Threading.Tasks.Task.Delay(150, stop); }
            catch (OperationCanceledException) { break; }
        }
        return answers;
    }

    private sealed class Answers
    {
        public List<string> Failures { get; } = [];
        public List<string> Stages { get; } = [];
        public List<string> Workers { get; } = [];
        public int Answered { get; private set; }
        public int Elections { get; private set; }

        public void Judge(string master, int status, string body)
        {
            var json = JsonNode.Parse(body);
            if (status == 503)
            {
                // An election in progress: allowed, and it must say so in DM's error shape.
                if (json?["error_code"]?.GetValue<int>() == 38043 && json["error_msg"]?.GetValue<string>().Contains("election", StringComparison.Ordinal) == true)
                    Elections++;
                else
                    Failures.Add($"{master}: 503 {body}");
                return;
            }
            if (status != 200)
            {
                Failures.Add($"{master}: {status} {body}");
                return;
            }
            Answered++;
            var subtask = json!["data"]![0]!;
            var unit = subtask["unit"]?.GetValue<string>();
            // A new leader shows a subtask its worker has not reported to it yet as such (InvalidUnit, no error).
            Stages.Add(unit == "InvalidUnit" && subtask["error_msg"] == null ? "no report yet" : $"{subtask["stage"]?.GetValue<string>()}/{unit}");
            Workers.Add(subtask["worker_name"]!.GetValue<string>());
        }

        public string Summary() =>
            $"{Answered} status answers, {Elections} answers of 503 during an election; stages seen: " +
            string.Join(", ", Stages.GroupBy(s => s).Select(g => $"{g.Key} x{g.Count()}")) + (Failures.Count > 0 ? "; failures: " + string.Join(" | ", Failures.Take(10)) : "");
    }
}
