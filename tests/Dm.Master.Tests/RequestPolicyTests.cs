using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Dm.Master.Tests;

/// <summary>
/// Browser and network hygiene of <c>/api/v1</c> (#20 item 5): state-changing requests need JSON, other web origins and
/// foreign Host names are refused, and <c>POST /sources</c> tells one message for every address no MySQL server answers.
/// </summary>
[Collection(MasterCollection.Name)]
public sealed class RequestPolicyTests(MasterEnvironment env)
{
    private async Task<ApiResponse> Raw(HttpMethod method, string path, string? body, string? contentType,
        params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body != null || contentType != null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body ?? ""));
            if (contentType != null) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        foreach (var (name, value) in headers)
            if (name == "Host") request.Headers.Host = value;
            else request.Headers.TryAddWithoutValidation(name, value);
        using var response = await env.Master.Http.SendAsync(request);
        return new ApiResponse(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_form_or_text_post_cannot_stop_a_task()
    {
        Assert.Equal(201, (await env.Api.Post("/api/v1/sources", new { source = MasterEnvironment.SourceBody("rp-src", env.Upstream1) })).Code);
        Assert.Equal(201, (await env.Api.Post("/api/v1/tasks", new JsonObject { ["task"] = TaskBodies.Full("rp-task", env, "rp-src") }.ToJsonString())).Code);
        var before = (await env.Api.Get("/api/v1/tasks/rp-task/status")).Body;

        foreach (var (body, type) in new (string?, string?)[]
                 {
                     ("", "application/x-www-form-urlencoded"), ("a=b", "application/x-www-form-urlencoded"), ("", "text/plain"),
                     ("{}", "text/plain"), ("--x--", "multipart/form-data; boundary=x"), ("{}", null),
                 })
        {
            var stop = await Raw(HttpMethod.Post, "/api/v1/tasks/rp-task/stop", body, type);
            Assert.True(stop.Code == 415, $"{type} '{body}': {stop}");
            Assert.Equal(49001, stop.ErrorCode);
            Assert.Contains("application/json", stop.ErrorMessage);
        }
        var delete = await Raw(HttpMethod.Delete, "/api/v1/tasks/rp-task", "", "text/plain");
        Assert.Equal(415, delete.Code);
        var create = await Raw(HttpMethod.Post, "/api/v1/sources", "{}", "text/plain");
        Assert.Equal(415, create.Code);
        Assert.Equal(before, (await env.Api.Get("/api/v1/tasks/rp-task/status")).Body);
        Assert.Equal(200, (await env.Api.Get("/api/v1/tasks/rp-task")).Code);

        // DM's guide: a bare `curl -X POST .../start` (no body, no Content-Type) and an empty JSON POST are still served.
        Assert.NotEqual(415, (await Raw(HttpMethod.Post, "/api/v1/tasks/rp-task/stop", null, null)).Code);
        Assert.NotEqual(415, (await Raw(HttpMethod.Post, "/api/v1/tasks/rp-task/stop", "", "application/json")).Code);
        Assert.NotEqual(415, (await Raw(HttpMethod.Post, "/api/v1/tasks/rp-task/stop", "{}", "application/json; charset=utf-8")).Code);
    }

    [Fact]
    public async Task Another_web_origin_cannot_change_state()
    {
        var port = env.Master.Port;
        foreach (var origin in new[] { "http://evil.example", "null", $"http://127.0.0.1:{port + 1}" })
        {
            var post = await Raw(HttpMethod.Post, "/api/v1/tasks/rp-none/stop", null, null, ("Origin", origin));
            Assert.True(post.Code == 403, $"{origin}: {post}");
            Assert.Equal(49001, post.ErrorCode);
        }
        var fetchMeta = await Raw(HttpMethod.Delete, "/api/v1/tasks/rp-none", null, null, ("Sec-Fetch-Site", "cross-site"));
        Assert.Equal(403, fetchMeta.Code);
        // Same origin (the /docs page's "try it out") and reads are served.
        Assert.NotEqual(403, (await Raw(HttpMethod.Delete, "/api/v1/tasks/rp-none", null, null, ("Origin", $"http://127.0.0.1:{port}"))).Code);
        Assert.Equal(200, (await Raw(HttpMethod.Get, "/api/v1/tasks", null, null, ("Origin", "http://evil.example"))).Code);
    }

    [Fact]
    public async Task A_foreign_host_name_is_refused()
    {
        var port = env.Master.Port;
        foreach (var host in new[] { $"evil.example:{port}", "attacker.test", $"127.0.0.1.nip.io:{port}" })
        {
            var get = await Raw(HttpMethod.Get, "/api/v1/sources", null, null, ("Host", host));
            Assert.True(get.Code == 421, $"{host}: {get}");
            Assert.Equal(49001, get.ErrorCode);
        }
        foreach (var host in new[] { $"127.0.0.1:{port}", $"localhost:{port}", $"[::1]:{port}", $"{Environment.MachineName}:{port}" })
            Assert.True((await Raw(HttpMethod.Get, "/api/v1/sources", null, null, ("Host", host))).Code == 200, host);
    }

    [Fact]
    public async Task Creating_a_source_is_no_port_scanner()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var closedPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        // A refused port, a port where another service (this master's HTTP) listens and a filtered address (TEST-NET, where
        // nothing answers) answer alike, in words and in time: none before the connect timeout (5 s).
        var messages = new List<string>();
        var times = new List<TimeSpan>();
        foreach (var (host, port) in new[] { ("127.0.0.1", closedPort), ("127.0.0.1", env.Master.Port), ("192.0.2.1", 3306) })
        {
            var body = new { source = new { source_name = "rp-scan", host, port, user = "root", password = "x", enable_gtid = false, enable = true } };
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var response = await env.Api.Post("/api/v1/sources", body);
            times.Add(clock.Elapsed);
            Assert.Equal(400, response.Code);
            Assert.Equal(10001, response.ErrorCode);
            Assert.Contains("no MySQL server answered", response.ErrorMessage);
            Assert.DoesNotContain("refused", response.ErrorMessage, StringComparison.OrdinalIgnoreCase);
            messages.Add(response.ErrorMessage.Replace(port.ToString(System.Globalization.CultureInfo.InvariantCulture), "PORT").Replace(host, "HOST"));
        }
        Assert.All(messages, m => Assert.Equal(messages[0], m));
        Assert.All(times, t => Assert.True(t >= TimeSpan.FromSeconds(4.9), $"answered after {t.TotalSeconds:0.00} s: {string.Join(", ", times.Select(x => x.TotalSeconds.ToString("0.00")))}"));
        Assert.True(times.Max() - times.Min() < TimeSpan.FromSeconds(1.5), $"answer times differ: {string.Join(", ", times.Select(x => x.TotalSeconds.ToString("0.00")))}");
        Console.WriteLine($"unanswered connects answered after {string.Join(", ", times.Select(x => x.TotalSeconds.ToString("0.00")))} s");
        // A MySQL server that answers still says why (what a user needs to fix it).
        var denied = await env.Api.Post("/api/v1/sources", new { source = MasterEnvironment.SourceBody("rp-denied", env.Upstream1, password: "wrong") });
        Assert.Equal(400, denied.Code);
        Assert.Contains("Access denied", denied.ErrorMessage);
    }
}
