using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dm.TestKit;

namespace Dm.IntegrationTests;

/// <summary>
/// The master's schema endpoints and DM#'s binlog operation, answered by the query service of the real
/// dm-worker running the subtask: DM's codes when there is no Sync unit to ask or no worker to reach.
/// </summary>
public sealed class WorkerQueryTests
{
    private static async Task<(int Status, JsonNode? Body)> SendAsync(MigrationEnvironment env, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body == null ? null : JsonContent.Create(body) };
        using var response = await env.Master.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static void AssertDmError((int Status, JsonNode? Body) answer, int code, string? contains = null)
    {
        Assert.True(answer.Status == 400, $"expected 400, got {answer.Status}: {answer.Body?.ToJsonString()}");
        Assert.Equal(code, answer.Body!["error_code"]!.GetValue<int>());
        var msg = answer.Body["error_msg"]!.GetValue<string>();
        Assert.StartsWith($"[code={code}:", msg);
        if (contains != null) Assert.Contains(contains, msg);
    }

    [Fact]
    public async Task AFullTaskHasNoSyncUnitToAskAndAGoneWorkerIsNamed()
    {
        await using var env = await MigrationEnvironment.StartAsync("query-master-1", 71, 2_000);
        var worker = await DmWorkerProcess.StartAsync("query-worker-1", [env.Master]);
        try
        {
            await env.CreateSourceAsync("q-src-1", env.Upstream);
            await env.CreateTaskAsync("q-full", "q-src-1", "shop", "shop_q");
            await env.StartTaskAsync("q-full");
            await env.WaitForStageAsync("q-full", "Finished", TimeSpan.FromMinutes(2));

            const string sources = "/api/v1/tasks/q-full/sources/q-src-1";
            AssertDmError(await SendAsync(env, HttpMethod.Get, $"{sources}/schemas"), 40056, "current unit is Load");
            AssertDmError(await SendAsync(env, HttpMethod.Get, $"{sources}/schemas/shop"), 40056);
            AssertDmError(await SendAsync(env, HttpMethod.Get, $"{sources}/schemas/shop/orders"), 40056);
            AssertDmError(await SendAsync(env, HttpMethod.Put, $"{sources}/schemas/shop/orders",
                new { schema_source = "sql", sql_content = "CREATE TABLE orders (id BIGINT PRIMARY KEY)" }), 40056);
            AssertDmError(await SendAsync(env, HttpMethod.Put, $"{sources}/schemas/shop/orders", new { schema_source = "upstream" }), 40056);
            AssertDmError(await SendAsync(env, HttpMethod.Delete, $"{sources}/schemas/shop/orders"), 40056);

            var skip = await SendAsync(env, HttpMethod.Post, "/api/v1/tasks/q-full/binlog/skip", new { });
            Assert.Equal(200, skip.Status);
            Assert.Equal(1, skip.Body!["total"]!.GetValue<int>());
            var line = skip.Body["data"]![0]!;
            Assert.Equal("q-src-1", line["source_name"]!.GetValue<string>());
            Assert.Equal("query-worker-1", line["worker_name"]!.GetValue<string>());
            Assert.False(line["result"]!.GetValue<bool>());
            Assert.Equal(40056, line["error_code"]!.GetValue<int>());
            AssertDmError(await SendAsync(env, HttpMethod.Post, "/api/v1/tasks/q-full/binlog/replace", new { }), 11118, "at least one SQL");
            AssertDmError(await SendAsync(env, HttpMethod.Post, "/api/v1/tasks/q-full/binlog/jump", new { }), 11118, "invalid binlog operation");
            AssertDmError(await SendAsync(env, HttpMethod.Post, "/api/v1/tasks/q-full/binlog/list", new { binlog_pos = "x:y" }), 11118);

            // The worker dies: until its lease runs out the master still binds the source to it, and says it cannot reach it.
            worker.Kill();
            var gone = await SendAsync(env, HttpMethod.Get, $"{sources}/schemas");
            Assert.True(gone.Status == 400, gone.Body?.ToJsonString());
            Assert.Contains(gone.Body!["error_code"]!.GetValue<int>(), new[] { 38008, 38021, 40070 });
            await MigrationEnvironment.WaitForAsync(async () =>
                (await SendAsync(env, HttpMethod.Get, $"{sources}/schemas")).Body!["error_code"]!.GetValue<int>() is 38021 or 40070,
                "the master to see the worker offline", TimeSpan.FromSeconds(30));
        }
        finally
        {
            await worker.DisposeAsync();
        }
    }
}
