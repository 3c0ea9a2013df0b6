using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dm.TestKit;

namespace Dm.IntegrationTests.Ha;

/// <summary>
/// Three real dm-masters on their etcd members: any master answers every operation of the API as the leader does
/// (a follower forwards), a worker may join through any master, a dead master shows as such and is taken offline, a new
/// one joins, the leader can be evicted, and with no leader the masters say an election is in progress.
/// </summary>
public sealed partial class MasterClusterTests(MasterClusterFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<MasterClusterFixture>
{
    private DmMasterCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Every_operation_sent_to_a_follower_gets_the_leaders_answer()
    {
        var leader = await Cluster.WaitForLeaderAsync();
        var follower = Cluster.Masters.First(m => m != leader && m.IsRunning);
        var spec = (await leader.Http.GetFromJsonAsync<JsonObject>("/api/v1/dm.json"))!;
        var operations = 0;
        foreach (var (path, item) in spec["paths"]!.AsObject())
        {
            foreach (var (method, _) in item!.AsObject())
            {
                // Names nothing holds: DM's errors for unknown sources, tasks, masters, workers, or what an empty body gets.
                var concrete = PathParameter().Replace(path, "ha-nope");
                var body = method is "post" or "put" ? "{}" : null;
                var viaFollower = await SendAsync(follower, method, concrete, body);
                var viaLeader = await SendAsync(leader, method, concrete, body);
                Assert.True(viaLeader == viaFollower, $"{method.ToUpperInvariant()} {concrete}: the leader answered {viaLeader}, the follower {viaFollower}");
                operations++;
            }
        }
        Assert.True(operations >= 43, $"only {operations} operations in dm.json");

        // A query string and a state change go through too: the source created through the follower is the leader's.
        var source = new { source = new { source_name = "ha-src", host = fixture.Upstream.Host, port = fixture.Upstream.Port,
            user = fixture.Upstream.User, password = fixture.Upstream.Password, enable_gtid = false, enable = true } };
        var created = await follower.Http.PostAsJsonAsync("/api/v1/sources", source);
        Assert.Equal(201, (int)created.StatusCode);
        Assert.Equal(await SendAsync(leader, "get", "/api/v1/sources?with_status=true", null), await SendAsync(follower, "get", "/api/v1/sources?with_status=true", null));
        var again = await SendAsync(follower, "post", "/api/v1/sources", System.Text.Json.JsonSerializer.Serialize(source));
        Assert.Equal(400, again.Status);
        Assert.Equal(again, await SendAsync(leader, "post", "/api/v1/sources", System.Text.Json.JsonSerializer.Serialize(source)));
        output.WriteLine($"{operations} operations answered alike by leader {leader.Name} and follower {follower.Name}");

        // A worker that knows only a follower is sent to the leader and scheduled like any other.
        await using var worker = await DmWorkerProcess.StartAsync("ha-worker", [follower], keepAliveTtlSeconds: 10);
        await MigrationEnvironment.WaitForAsync(async () => (await WorkerStageAsync(leader, "ha-worker")) == "bound:ha-src",
            "ha-src bound to the worker that joined through a follower", TimeSpan.FromSeconds(30));
        var status = await follower.Http.GetFromJsonAsync<JsonObject>("/api/v1/sources/ha-src/status");
        Assert.Equal("ha-worker", status!["data"]![0]!["worker_name"]!.GetValue<string>());
        Assert.Contains("going to the leader", worker.ReadLog());
        Assert.Equal(204, (int)(await follower.Http.DeleteAsync("/api/v1/sources/ha-src?force=true")).StatusCode);
    }

    [Fact]
    public async Task A_dead_master_shows_not_alive_is_taken_offline_and_a_new_one_joins()
    {
        var leader = await Cluster.WaitForLeaderAsync();
        var victim = Cluster.Masters.Last(m => m != leader && m.IsRunning);
        var witness = Cluster.Masters.First(m => m != leader && m != victim && m.IsRunning);

        // The master and its machine's etcd member die: within the election-ttl (3 s) it is not alive any more.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        victim.Kill();
        await MigrationEnvironment.WaitForAsync(async () => (await DmMasterCluster.MastersSeenByAsync(witness))?[victim.Name].Alive == false,
            $"{victim.Name} shown not alive", TimeSpan.FromSeconds(3 + 3));
        output.WriteLine($"{victim.Name} shown not alive {clock.Elapsed.TotalSeconds:0.0} s after kill -9");

        var listed = (await DmctlRun.RunAsync(witness, "list-member", "--master")).Ok()["members"]![0]!["master"]!["masters"]!.AsArray();
        Assert.False(listed.Single(m => m!["name"]!.GetValue<string>() == victim.Name)!["alive"]!.GetValue<bool>());
        var refused = await DmctlRun.RunAsync(witness, "offline-member", "--master", "--name", leader.Name);
        Assert.True(refused.ExitCode == 1 && refused.Stdout.Contains("is the leader"), refused.ToString());
        (await DmctlRun.RunAsync(witness, "offline-member", "--master", "--name", victim.Name)).Ok();
        Assert.False((await DmMasterCluster.MastersSeenByAsync(leader))!.ContainsKey(victim.Name));
        await Cluster.RemoveAsync(victim);

        // A master added later joins through the running ones.
        var joined = await Cluster.JoinAsync("ha-master-joined");
        await MigrationEnvironment.WaitForAsync(async () => (await DmMasterCluster.MastersSeenByAsync(witness))?.GetValueOrDefault(joined.Name).Alive == true,
            "the joined master alive", TimeSpan.FromSeconds(20));
        Assert.Contains("joined the cluster through dm-master", joined.ReadLog());
        Assert.True(joined.EtcdMemberRunning);

        // operate-leader acts on the master it is sent to: the evicted leader hands over and stands no more until cancel-evict.
        (await DmctlRun.RunAsync(leader, "operate-leader", "evict")).Ok();
        var next = await Cluster.WaitForLeaderAsync(except: leader, timeout: TimeSpan.FromSeconds(10));
        Assert.NotEqual(leader.Name, next.Name);
        Assert.Equal(next.Name, (await DmctlRun.RunAsync(leader, "list-member", "--leader")).Ok()["members"]![0]!["leader"]!["name"]!.GetValue<string>());
        (await DmctlRun.RunAsync(leader, "operate-leader", "cancel-evict")).Ok();
    }

    [Fact]
    public async Task While_no_master_leads_every_master_says_an_election_is_in_progress()
    {
        await Cluster.WaitForLeaderAsync();
        var running = Cluster.Masters.Where(m => m.IsRunning).ToList();
        try
        {
            foreach (var master in running) (await DmctlRun.RunAsync(master, "operate-leader", "evict")).Ok();
            foreach (var master in running)
            {
                await MigrationEnvironment.WaitForAsync(async () => (await SendAsync(master, "get", "/api/v1/sources", null)).Status == 503,
                    $"{master.Name} to answer 503", TimeSpan.FromSeconds(10));
                var answer = await SendAsync(master, "get", "/api/v1/tasks", null);
                var error = JsonNode.Parse(answer.Body)!;
                Assert.Equal(38043, error["error_code"]!.GetValue<int>());
                Assert.Contains("election is in progress", error["error_msg"]!.GetValue<string>());
            }
        }
        finally
        {
            foreach (var master in running) (await DmctlRun.RunAsync(master, "operate-leader", "cancel-evict")).Ok();
        }
        await Cluster.WaitForLeaderAsync(timeout: TimeSpan.FromSeconds(10));
    }

    /// <summary>One request as sent: status, content type and body of the answer.</summary>
    private static async Task<Answer> SendAsync(DmMasterProcess master, string method, string path, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path);
        if (body != null) request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await master.Http.SendAsync(request);
        return new Answer((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync());
    }

    private static async Task<string?> WorkerStageAsync(DmMasterProcess master, string worker)
    {
        var list = await master.Http.GetFromJsonAsync<JsonObject>("/api/v1/cluster/workers");
        var w = list!["data"]!.AsArray().FirstOrDefault(w => w!["name"]!.GetValue<string>() == worker);
        return w == null ? null
            : w["bound_stage"]!.GetValue<string>() is "bound" ? "bound:" + w["bound_source_name"]!.GetValue<string>() : w["bound_stage"]!.GetValue<string>();
    }

    private sealed record Answer(int Status, string? ContentType, string Body);

    [GeneratedRegex("{[^}]+}")]
    private static partial Regex PathParameter();
}
