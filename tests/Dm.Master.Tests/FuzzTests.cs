using System.Text;
using System.Text.Json.Nodes;
using Dm.TestKit;

namespace Dm.Master.Tests;

/// <summary>
/// Over a thousand malformed or hostile requests against every operation: none may get a 5xx, crash
/// the master, or change what is stored.
/// </summary>
[Collection(MasterCollection.Name)]
public sealed class FuzzTests(MasterEnvironment env)
{
    private static readonly string[] HostileNames =
    [
        "no-such", "'; DROP DATABASE mysql; --", "..", "..%2F..%2Fetc%2Fpasswd", "%00", "a%2Fb", "`x`", "\"quoted\"",
        "name with spaces", "ünïcødé-名前", new string('x', 3000), "%E2%80%AE", "${jndi:ldap://x}", "*", "?", "%25",
    ];

    private static readonly string[] Templates =
    [
        "/api/v1/sources/{s}", "/api/v1/sources/{s}/status", "/api/v1/sources/{s}/enable", "/api/v1/sources/{s}/disable",
        "/api/v1/sources/{s}/transfer", "/api/v1/sources/{s}/relay/enable", "/api/v1/sources/{s}/relay/disable",
        "/api/v1/sources/{s}/relay/purge", "/api/v1/sources/{s}/schemas", "/api/v1/sources/{s}/schemas/{d}",
        "/api/v1/tasks/{t}", "/api/v1/tasks/{t}/status", "/api/v1/tasks/{t}/start", "/api/v1/tasks/{t}/stop",
        "/api/v1/tasks/{t}/sources/{s}/migrate_targets", "/api/v1/tasks/{t}/sources/{s}/schemas",
        "/api/v1/tasks/{t}/sources/{s}/schemas/{d}", "/api/v1/tasks/{t}/sources/{s}/schemas/{d}/{b}",
        "/api/v1/tasks/templates/{t}", "/api/v1/cluster/masters/{m}", "/api/v1/cluster/workers/{m}", "/api/v1/tasks/{t}/binlog/{d}",
    ];

    private static readonly HttpMethod[] Methods = [HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Head, HttpMethod.Options];

    [Fact]
    public async Task HostileRequestsGetNo5xxAndChangeNothing()
    {
        await using var master = await DmMasterProcess.StartAsync("fuzz-master");
        var api = new ApiClient(master.Http);
        Assert.Equal(201, (await api.Post("/api/v1/sources", new { source = MasterEnvironment.SourceBody("fz-src", env.Upstream1) })).Code);
        Assert.Equal(201, (await api.Post("/api/v1/tasks", new JsonObject { ["task"] = TaskBodies.Full("fz-task", env, "fz-src") }.ToJsonString())).Code);
        Assert.Equal(201, (await api.Post("/api/v1/tasks/templates", TaskBodies.Full("fz-tpl", env, "fz-src").ToJsonString())).Code);
        var before = await RestartTests.Snapshot(api);

        var requests = Requests(new Random(20261123)).ToList();
        Assert.True(requests.Count >= 1000, $"only {requests.Count} requests generated");
        var failures = new List<string>();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (r, ct) =>
        {
            ApiResponse response;
            try
            {
                response = await api.Send(r.Method, r.Path, r.Body, r.ContentType);
            }
            catch (HttpRequestException) when (r.Body is { Length: > 8 * 1024 * 1024 })
            {
                // The master answers 413 before the client has finished sending and closes the connection.
                return;
            }
            catch (HttpRequestException e)
            {
                lock (failures) failures.Add($"{r.Method} {Clip(r.Path)}: connection failed: {e.Message}");
                return;
            }
            if (response.Code >= 500)
                lock (failures) failures.Add($"{r.Method} {Clip(r.Path)} body={Clip(r.Body ?? "")}: {response}");
            else if (response.Code >= 400 && response.Body.Length > 0 && r.Method != HttpMethod.Head && r.Path.StartsWith("/api/v1", StringComparison.Ordinal))
            {
                // Every error body has DM's shape.
                var json = response.Json;
                if (json?["error_msg"] == null || json["error_code"] == null)
                    lock (failures) failures.Add($"{r.Method} {Clip(r.Path)}: error without DM's shape: {Clip(response.Body)}");
            }
        });
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.True(master.IsRunning, "dm-master died under the hostile requests");
        Assert.Equal(before, await RestartTests.Snapshot(api));
    }

    private sealed record FuzzRequest(HttpMethod Method, string Path, string? Body, string ContentType = "application/json");

    private static IEnumerable<FuzzRequest> Requests(Random random)
    {
        // Every path template with hostile names, under every method, without and with junk bodies.
        foreach (var template in Templates)
        foreach (var method in Methods)
        {
            var name = HostileNames[random.Next(HostileNames.Length)];
            var path = template.Replace("{s}", Escape(name)).Replace("{t}", Escape(HostileNames[random.Next(HostileNames.Length)]))
                .Replace("{d}", Escape(HostileNames[random.Next(HostileNames.Length)])).Replace("{b}", "orders")
                .Replace("{m}", Escape(name));
            yield return new FuzzRequest(method, path, null);
            if (method != HttpMethod.Get && method != HttpMethod.Head)
                yield return new FuzzRequest(method, path, JunkBody(random));
        }

        // Bad bodies against the collection endpoints and the existing objects.
        string[] bodyTargets =
        [
            "POST /api/v1/sources", "PUT /api/v1/sources/fz-src", "POST /api/v1/tasks", "PUT /api/v1/tasks/fz-task",
            "POST /api/v1/tasks/converters", "POST /api/v1/tasks/templates", "PUT /api/v1/tasks/templates/fz-tpl",
            // (start, stop and cluster/info are left out: their bodies are all optional, so junk can be a valid request.)
            "POST /api/v1/tasks/templates/import", "POST /api/v1/sources/fz-src/transfer", "POST /api/v1/sources/fz-src/relay/purge",
            "PUT /api/v1/tasks/fz-task/sources/fz-src/schemas/shop/orders",
        ];
        foreach (var target in bodyTargets)
        {
            var (method, path) = (new HttpMethod(target[..target.IndexOf(' ')]), target[(target.IndexOf(' ') + 1)..]);
            for (var i = 0; i < 60; i++) yield return new FuzzRequest(method, path, JunkBody(random));
            yield return new FuzzRequest(method, path, "{}", "text/plain");
            yield return new FuzzRequest(method, path, "<xml/>", "application/xml");
        }

        // Hostile query strings on the list endpoints.
        string[] queries =
        [
            "with_status=maybe", "with_status=", "with_status=1&with_status=0", "enable_relay=2", "stage=Running%00",
            "stage=stopped", "source_name_list=%27%3B--", "force=yes", "keep_meta=-1", "with_status=" + new string('t', 5000),
        ];
        foreach (var q in queries)
        foreach (var path in new[] { "/api/v1/sources", "/api/v1/tasks", "/api/v1/tasks/fz-task", "/api/v1/sources/fz-src" })
            yield return new FuzzRequest(HttpMethod.Get, path + "?" + q, null);
        foreach (var q in new[] { "force=maybe", "keep_meta=nope", "force=1&force=0" })
        {
            yield return new FuzzRequest(HttpMethod.Delete, "/api/v1/tasks/fz-task?" + q, null);
            yield return new FuzzRequest(HttpMethod.Delete, "/api/v1/sources/fz-src?" + q, null);
        }

        // Paths outside the API, traversal attempts and unknown operations.
        foreach (var path in new[] { "/api/v1/", "/api/v1/../../etc/passwd", "/api/v1/sources/fz-src/unknown", "/api/v2/sources",
                     "/api/v1/tasks/fz-task/sources", "/api/v1/%2e%2e/%2e%2e/", "/api/v1/sources/fz-src/schemas/a/b/c/d" })
        foreach (var method in Methods)
            yield return new FuzzRequest(method, path, null);
    }

    /// <summary>Bodies of every bad kind: broken JSON, wrong types, absurd sizes and depths, injections.</summary>
    private static string JunkBody(Random random)
    {
        switch (random.Next(14))
        {
            case 0: return "{";
            case 1: return "[" + string.Concat(Enumerable.Repeat("[", 5000)) + "]";
            case 2: return "null";
            case 3: return "\"just a string\"";
            case 4: return "{\"source\": 42, \"task\": [], \"worker_name\": {}, \"overwrite\": \"yes\"}";
            case 5: return "{\"source\":{\"source_name\":\"x'; DROP DATABASE mysql; --\",\"host\":\"127.0.0.1\",\"port\":1,\"user\":\"root\",\"enable_gtid\":false,\"enable\":true}}";
            case 6: return "{\"source\":{\"source_name\":\"s\",\"host\":\"h\",\"port\":1e400,\"user\":\"u\",\"enable_gtid\":false,\"enable\":true}}";
            case 7: return "{\"task\":{\"name\":\"../../x\",\"task_mode\":\"all\",\"on_duplicate\":\"explode\"}}";
            case 8:
                var bytes = new byte[random.Next(1, 400)];
                random.NextBytes(bytes);
                return Encoding.Latin1.GetString(bytes);
            case 9: return "{\"a\":\"" + new string('a', 9 * 1024 * 1024) + "\"}";
            case 10: return "{\"overwrite\": true, \"overwrite\": \"dup\"}";
            case 11: return "{\"schema_source\": \"sql\", \"sql_content\": 5, \"flush\": \"no\"}";
            case 12: return "{\"relay_binlog_name\": null, \"worker_name\": null, \"remove_meta\": \"true\", \"start_time\": 17}";
            default: return "\uFEFF{\"name\":\"\\uD800\"}";
        }
    }

    private static string Escape(string name) => name.Contains('%') ? name : Uri.EscapeDataString(name);

    private static string Clip(string s) => s.Length <= 120 ? s : s[..120] + "...";
}
