using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Dm.TestKit;

namespace Dm.Master.Tests;

/// <summary>
/// #20's must-show: over 10,000 hostile requests against a real dm-master (content types, Host and Origin headers,
/// bodies, sizes, names, numbers at and past every bound, YAML bombs through the converter and the check): none gets a
/// 5xx, each refusal has DM's shape and the expected status, the master stays up with its memory bounded, and the
/// cluster state is the same afterwards.
/// </summary>
[Collection(MasterCollection.Name)]
public sealed class HostileInputTests(MasterEnvironment env)
{
    /// <param name="Expected">the statuses the request must get (null: any but a 5xx).</param>
    private sealed record Hostile(HttpMethod Method, string Path, string? Body, string? ContentType, int[]? Expected = null,
        (string Name, string Value)[]? Headers = null)
    {
        /// <summary>A pattern the answer must match (DM error codes).</summary>
        public string? MustContain { get; init; }

        /// <summary>Text the answer must not hold (the bound's error code, for values at the bound).</summary>
        public string? MustNotContain { get; init; }
    }

    [Fact]
    public async Task Ten_thousand_hostile_requests_get_no_5xx_change_nothing_and_keep_memory_bounded()
    {
        await using var master = await DmMasterProcess.StartAsync("hostile-master");
        var api = new ApiClient(master.Http);
        Assert.Equal(201, (await api.Post("/api/v1/sources", new { source = MasterEnvironment.SourceBody("hi-src", env.Upstream1) })).Code);
        Assert.Equal(201, (await api.Post("/api/v1/tasks", new JsonObject { ["task"] = TaskBodies.Full("hi-task", env, "hi-src") }.ToJsonString())).Code);
        Assert.Equal(201, (await api.Post("/api/v1/tasks/templates", TaskBodies.Full("hi-tpl", env, "hi-src").ToJsonString())).Code);
        var before = await RestartTests.Snapshot(api);

        var requests = Requests(new Random(2026_12_07), env, master.Port).ToList();
        Assert.True(requests.Count >= 10_000, $"only {requests.Count} requests");
        // Warm up, then take the baseline.
        foreach (var r in requests.Take(200)) await Send(master.Http, r);
        var baseline = RssBytes(master.Pid);
        long peak = baseline;

        var failures = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        var done = 0;
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (r, _) =>
        {
            var (status, body) = await Send(master.Http, r);
            if (Interlocked.Increment(ref done) % 500 == 0) InterlockedMax(ref peak, RssBytes(master.Pid));
            if (status == 0) { if (r.Body is not { Length: > 8 * 1024 * 1024 }) failures.Enqueue($"{r.Method} {Clip(r.Path)}: connection failed"); return; }
            if (status >= 500) failures.Enqueue($"{r.Method} {Clip(r.Path)} [{r.ContentType}] body={Clip(r.Body ?? "")}: {status} {Clip(body)}");
            else if (r.Expected is { } expected && !expected.Contains(status))
                failures.Enqueue($"{r.Method} {Clip(r.Path)} [{r.ContentType}] {string.Join(",", (r.Headers ?? []).Select(h => h.Name + "=" + Clip(h.Value)))} body={Clip(r.Body ?? "")}: expected {string.Join("/", expected)}, got {status} {Clip(body)}");
            else if (r.MustContain is { } text && !System.Text.RegularExpressions.Regex.IsMatch(body, text))
                failures.Enqueue($"{r.Method} {Clip(r.Path)} body={Clip(r.Body ?? "")}: expected {text} in the answer, got {status} {Clip(body)}");
            else if (r.MustNotContain is { } not && body.Contains(not, StringComparison.Ordinal))
                failures.Enqueue($"{r.Method} {Clip(r.Path)} body={Clip(r.Body ?? "")}: a value at its bound was refused: {status} {Clip(body)}");
            else if (status >= 400 && body.Length > 0 && r.Method != HttpMethod.Head && r.Path.StartsWith("/api/v1", StringComparison.Ordinal) && status != 431 && status != 414)
            {
                JsonNode? json = null;
                try { json = JsonNode.Parse(body); } catch (System.Text.Json.JsonException) { }
                if (json?["error_msg"] == null || json["error_code"] == null) failures.Enqueue($"{r.Method} {Clip(r.Path)}: {status} without DM's error shape: {Clip(body)}");
            }
        });
        var elapsed = clock.Elapsed;
        InterlockedMax(ref peak, RssBytes(master.Pid));

        Assert.True(failures.IsEmpty, $"{failures.Count} failures:\n" + string.Join("\n", failures.Take(25)));
        Assert.True(master.IsRunning, "dm-master died under the hostile requests");
        Assert.Equal(before, await RestartTests.Snapshot(api));
        // Memory bounded: a YAML bomb or a big body must not grow the master by more than a few hundred MB.
        Assert.True(peak - baseline < 400L * 1024 * 1024, $"RSS grew from {baseline >> 20} MB to {peak >> 20} MB");
        Assert.True(elapsed < TimeSpan.FromSeconds(60), $"{requests.Count} requests took {elapsed}");
    }

    private static async Task<(int Status, string Body)> Send(HttpClient http, Hostile r)
    {
        using var request = new HttpRequestMessage(r.Method, r.Path);
        if (r.Body != null || r.ContentType != null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(r.Body ?? ""));
            if (r.ContentType != null) request.Content.Headers.TryAddWithoutValidation("Content-Type", r.ContentType);
        }
        foreach (var (name, value) in r.Headers ?? [])
            request.Headers.TryAddWithoutValidation(name, value);
        try
        {
            using var response = await http.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException)
        {
            return (0, "");
        }
    }

    private static long RssBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        return 0;
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }

    private static readonly int[] Unsupported = [415];
    private static readonly int[] Misdirected = [421];
    private static readonly int[] Forbidden = [403];
    private static readonly int[] Refused = [400];
    private static readonly int[] Converted = [200];

    private static readonly string[] StateChanging =
    [
        "POST /api/v1/sources", "PUT /api/v1/sources/hi-src", "DELETE /api/v1/sources/hi-src", "POST /api/v1/sources/hi-src/enable",
        "POST /api/v1/sources/hi-src/disable", "POST /api/v1/sources/hi-src/transfer", "POST /api/v1/sources/hi-src/relay/enable",
        "POST /api/v1/sources/hi-src/relay/disable", "POST /api/v1/sources/hi-src/relay/purge", "POST /api/v1/tasks", "PUT /api/v1/tasks/hi-task",
        "DELETE /api/v1/tasks/hi-task", "POST /api/v1/tasks/hi-task/start", "POST /api/v1/tasks/hi-task/stop", "POST /api/v1/tasks/templates",
        "PUT /api/v1/tasks/templates/hi-tpl", "DELETE /api/v1/tasks/templates/hi-tpl", "POST /api/v1/tasks/templates/import",
        "DELETE /api/v1/cluster/workers/w1", "DELETE /api/v1/cluster/masters/hostile-master", "POST /api/v1/tasks/converters", "POST /api/v1/tasks/check",
        "PUT /api/v1/tasks/hi-task/sources/hi-src/schemas/shop/orders", "DELETE /api/v1/tasks/hi-task/sources/hi-src/schemas/shop/orders",
    ];

    private static readonly string[] Reads =
    [
        "/api/v1/sources", "/api/v1/sources/hi-src", "/api/v1/tasks", "/api/v1/tasks/hi-task", "/api/v1/tasks/hi-task/status",
        "/api/v1/cluster/masters", "/api/v1/cluster/workers", "/api/v1/tasks/templates", "/api/v1/cluster/info",
    ];

    private static IEnumerable<Hostile> Requests(Random random, MasterEnvironment env, int port)
    {
        var targets = StateChanging.Select(t => (Method: new HttpMethod(t[..t.IndexOf(' ')]), Path: t[(t.IndexOf(' ') + 1)..])).ToList();

        // 1. Content types: anything but JSON on a state-changing request is 415, with or without a body (an HTML form).
        string[] types =
        [
            "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "text/html",
            "application/x-json", "application/jsonp", "json", "application/json5", "*/*", "text/json", "application/javascript",
        ];
        string[] bodies = ["", "{}", "a=b", "--x\r\nContent-Disposition: form-data; name=a\r\n\r\nb\r\n--x--"];
        foreach (var (method, path) in targets)
        foreach (var type in types)
        foreach (var body in bodies)
            yield return new Hostile(method, path, body, type, Unsupported);
        // A body without any Content-Type.
        foreach (var (method, path) in targets)
            yield return new Hostile(method, path, "{}", null, Unsupported);

        // 2. Host names that are not this master's (DNS rebinding): 421 on every operation.
        string[] hosts =
        [
            "evil.example", $"evil.example:{port}", "attacker.test:80", "127.0.0.1.nip.io", $"localhost.evil.com:{port}", "xn--80ak6aa92e.com",
            new string('h', 60) + "." + new string('h', 60) + ".example", "dm-master.internal", "a", "0x7f000001.evil", "localhost.", "localhost.localdomain.evil",
        ];
        foreach (var host in hosts)
        {
            foreach (var path in Reads) yield return new Hostile(HttpMethod.Get, path, null, null, Misdirected, [("Host", host)]);
            foreach (var (method, path) in targets) yield return new Hostile(method, path, "{}", "application/json", Misdirected, [("Host", host)]);
        }

        // 3. Other web origins: 403 on every state-changing request, JSON or not.
        string[] origins = ["http://evil.example", "null", $"http://127.0.0.1:{port + 1}", $"https://127.0.0.1:{port}", $"http://localhost:{port}", "file://", "http://localhost.evil", "garbage"];
        foreach (var origin in origins)
        foreach (var (method, path) in targets)
        {
            yield return new Hostile(method, path, null, null, Forbidden, [("Origin", origin)]);
            yield return new Hostile(method, path, "{}", "application/json", Forbidden, [("Origin", origin)]);
        }
        foreach (var site in new[] { "cross-site", "same-site" })
        foreach (var (method, path) in targets)
            yield return new Hostile(method, path, null, null, Forbidden, [("Sec-Fetch-Site", site)]);

        // 4. Numbers at and past every bound: past is refused (creating, updating or converting), at is converted.
        (string Section, string Key, long Max)[] numbers =
        [
            ("full_migrate_conf", "export_threads", 1024), ("full_migrate_conf", "import_threads", 1024),
            ("incr_migrate_conf", "repl_threads", 1024), ("incr_migrate_conf", "repl_batch", 100_000),
        ];
        foreach (var (section, key, max) in numbers)
        {
            foreach (var past in new JsonNode?[] { -1, -1024, max + 1, max * 10, int.MaxValue, int.MinValue, 2147483648L, long.MaxValue, 1.5, "4", true, new JsonArray(), new JsonObject() })
            {
                // A 32-bit integer out of range is the bound's 26005; anything else is no valid body at all.
                bool integer = past is JsonValue v && v.TryGetValue<int>(out _);
                var task = TaskBodies.Full("hi-task", env, "hi-src");
                ((JsonObject)(task["source_config"]![section] ??= new JsonObject()))[key] = past?.DeepClone();
                var created = task.DeepClone();
                created["name"] = "hi-new-" + key;
                yield return new Hostile(HttpMethod.Post, "/api/v1/tasks", new JsonObject { ["task"] = created }.ToJsonString(), "application/json", Refused);
                yield return new Hostile(HttpMethod.Put, "/api/v1/tasks/hi-task", new JsonObject { ["task"] = task.DeepClone() }.ToJsonString(), "application/json", Refused);
                // The converter and the templates apply the same bounds as create and check.
                yield return new Hostile(HttpMethod.Post, "/api/v1/tasks/converters", new JsonObject { ["task"] = task.DeepClone() }.ToJsonString(), "application/json",
                    Refused) { MustContain = integer ? "26005" : null };
                var template = task.DeepClone();
                template["name"] = "hi-tpl-" + key;
                yield return new Hostile(HttpMethod.Post, "/api/v1/tasks/templates", template.ToJsonString(), "application/json", Refused)
                    { MustContain = integer ? "26005" : null };
                var templateUpdate = task.DeepClone();
                templateUpdate["name"] = "hi-tpl";
                yield return new Hostile(HttpMethod.Put, "/api/v1/tasks/templates/hi-tpl", templateUpdate.ToJsonString(), "application/json", Refused)
                    { MustContain = integer ? "26005" : null };
            }
            foreach (var at in new long[] { 0, 1, max })
            {
                var task = TaskBodies.Full("hi-task", env, "hi-src");
                ((JsonObject)(task["source_config"]![section] ??= new JsonObject()))[key] = at;
                yield return new Hostile(HttpMethod.Post, "/api/v1/tasks/converters", new JsonObject { ["task"] = task }.ToJsonString(), "application/json", Converted);
            }
        }
        var yamlTask = ConvertedYaml(env);
        (string Key, long Max)[] yamlNumbers = [("threads", 1024), ("pool-size", 1024), ("worker-count", 1024), ("batch", 100_000), ("queue-size", 1 << 20), ("checkpoint-flush-interval", 86400)];
        foreach (var (key, max) in yamlNumbers)
        foreach (var past in new[] { "-1", (max + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "2147483647", "-2147483648", "99999999999999999999", "1e9", "0x7fffffff" })
        {
            var yaml = WithUnitKey(yamlTask, key, past);
            yield return new Hostile(HttpMethod.Post, "/api/v1/tasks/converters", new JsonObject { ["task_config_file"] = yaml }.ToJsonString(), "application/json",
                Refused) { MustContain = "26005|20003" };
            // The check refuses the task: 26005 past a bound, 20003 for what is no 32-bit integer.
            yield return new Hostile(HttpMethod.Post, "/api/v1/tasks/check", new JsonObject { ["task_config_file"] = yaml }.ToJsonString(), "application/json") { MustContain = "26005|20003" };
        }

        // 5. YAML bombs (aliases and merge keys, 1 KB standing for billions of nodes), deep nesting, recursive aliases.
        var yamlBodies = new List<string>();
        for (var levels = 5; levels <= 14; levels++)
        {
            yamlBodies.Add(Bomb(merges: false, levels));
            yamlBodies.Add(Bomb(merges: true, levels));
            yamlBodies.Add(yamlTask + Bomb(merges: true, levels).Replace("name: bomb\n", ""));
        }
        yamlBodies.Add("a: " + new string('[', 50_000) + new string(']', 50_000));
        yamlBodies.Add("a: " + string.Concat(Enumerable.Repeat("{b: ", 5_000)) + "1" + new string('}', 5_000));
        yamlBodies.Add(string.Concat(Enumerable.Repeat("- ", 2_000)) + "x");
        yamlBodies.Add("a: &a [1, *a]");
        yamlBodies.Add("a: &a {<<: *a}");
        yamlBodies.Add("a: *undefined");
        for (var round = 0; round < 10; round++)
            foreach (var yaml in yamlBodies)
            {
                var body = new JsonObject { ["task_config_file"] = yaml }.ToJsonString();
                yield return new Hostile(HttpMethod.Post, "/api/v1/tasks/converters", body, "application/json", Refused) { MustContain = "20003" };
                yield return new Hostile(HttpMethod.Post, "/api/v1/tasks/check", body, "application/json") { MustContain = "20003" };
                if (round == 0) yield return new Hostile(HttpMethod.Post, "/api/v1/tasks/templates/import", body, "application/json");
            }
        yield return new Hostile(HttpMethod.Post, "/api/v1/tasks/converters", new JsonObject { ["task_config_file"] = "name: " + new string('x', 1_000_000) }.ToJsonString(), "application/json");

        // 6. Hostile names in every path, under every method.
        string[] names =
        [
            "no-such", "'; DROP DATABASE mysql; --", "..", "..%2F..%2Fetc%2Fpasswd", "%00", "a%2Fb", "`x`", "\"quoted\"", "name with spaces",
            "ünïcødé-名前", new string('x', 3000), "%E2%80%AE", "${jndi:ldap://x}", "*", "%25", "%0d%0aX-Injected:%201", "hi-task-not",
        ];
        string[] templates =
        [
            "/api/v1/sources/{n}", "/api/v1/sources/{n}/status", "/api/v1/sources/{n}/enable", "/api/v1/sources/{n}/disable",
            "/api/v1/sources/{n}/transfer", "/api/v1/sources/{n}/relay/enable", "/api/v1/sources/{n}/relay/purge", "/api/v1/sources/{n}/schemas",
            "/api/v1/tasks/{n}", "/api/v1/tasks/{n}/status", "/api/v1/tasks/{n}/start", "/api/v1/tasks/{n}/stop",
            "/api/v1/tasks/{n}/sources/{n}/schemas", "/api/v1/tasks/templates/{n}", "/api/v1/cluster/masters/{n}", "/api/v1/cluster/workers/{n}",
        ];
        HttpMethod[] methods = [HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Head, HttpMethod.Options];
        foreach (var template in templates)
        foreach (var name in names)
        foreach (var method in methods)
        {
            var path = template.Replace("{n}", name.Contains('%') ? name : Uri.EscapeDataString(name));
            // The existing task and source must survive: only names other than theirs may be deleted or stopped.
            yield return new Hostile(method, path, method == HttpMethod.Get || method == HttpMethod.Head ? null : JunkBody(random), method == HttpMethod.Get || method == HttpMethod.Head ? null : "application/json");
        }

        // 7. Junk bodies on every body-taking operation of the existing objects (strict JSON: refused, nothing stored).
        string[] bodyTargets =
        [
            "POST /api/v1/sources", "PUT /api/v1/sources/hi-src", "POST /api/v1/tasks", "PUT /api/v1/tasks/hi-task", "POST /api/v1/tasks/converters",
            "POST /api/v1/tasks/templates", "PUT /api/v1/tasks/templates/hi-tpl", "POST /api/v1/tasks/templates/import", "POST /api/v1/sources/hi-src/transfer",
            "POST /api/v1/sources/hi-src/relay/purge", "PUT /api/v1/tasks/hi-task/sources/hi-src/schemas/shop/orders", "POST /api/v1/tasks/check",
        ];
        foreach (var target in bodyTargets)
        {
            var (method, path) = (new HttpMethod(target[..target.IndexOf(' ')]), target[(target.IndexOf(' ') + 1)..]);
            for (var i = 0; i < 330; i++) yield return new Hostile(method, path, JunkBody(random), "application/json; charset=utf-8");
        }

        // 8. Sizes: at and past the 8 MiB body limit, long headers and URLs, many query parameters.
        yield return new Hostile(HttpMethod.Post, "/api/v1/tasks/converters", "{\"task_config_file\":\"" + new string('a', 8 * 1024 * 1024 - 40) + "\"}", "application/json");
        yield return new Hostile(HttpMethod.Post, "/api/v1/tasks/converters", "{\"task_config_file\":\"" + new string('a', 8 * 1024 * 1024 + 10) + "\"}", "application/json");
        for (var i = 0; i < 20; i++)
        {
            yield return new Hostile(HttpMethod.Get, "/api/v1/tasks?x=" + new string('q', 1000 * (i + 1)), null, null);
            yield return new Hostile(HttpMethod.Get, "/api/v1/sources", null, null, null, [("X-Big", new string('h', 2000 * (i + 1)))]);
            yield return new Hostile(HttpMethod.Get, "/api/v1/tasks?" + string.Join("&", Enumerable.Range(0, 100 * (i + 1)).Select(n => $"stage=s{n}")), null, null);
            yield return new Hostile(HttpMethod.Post, "/api/v1/tasks/hi-task/stop", "{}", "application/json; charset=" + new string('c', 100 * (i + 1)), null);
        }

        // 9. Hostile query values on the lists.
        string[] queries =
        [
            "with_status=maybe", "with_status=", "with_status=1&with_status=0", "enable_relay=2", "stage=Running%00", "source_name_list=%27%3B--",
            "force=yes", "keep_meta=-1", "with_status=" + new string('t', 5000), "%ff=%fe", "a[b]=c", "stage=" + Uri.EscapeDataString("\u202e"),
        ];
        for (var round = 0; round < 20; round++)
            foreach (var q in queries)
            foreach (var path in new[] { "/api/v1/sources", "/api/v1/tasks", "/api/v1/tasks/hi-task", "/api/v1/sources/hi-src", "/api/v1/tasks/hi-task/status" })
                yield return new Hostile(HttpMethod.Get, path + "?" + q, null, null);
        foreach (var q in new[] { "force=maybe", "keep_meta=nope", "force=1&force=0" })
        {
            yield return new Hostile(HttpMethod.Delete, "/api/v1/tasks/hi-task?" + q, null, null, Refused);
            yield return new Hostile(HttpMethod.Delete, "/api/v1/sources/hi-src?" + q, null, null, Refused);
        }
    }

    /// <summary>The task file of a valid task, through the master's own converter form (what DM's check-task reads).</summary>
    private static string ConvertedYaml(MasterEnvironment env) =>
        $$"""
        name: hi-yaml
        task-mode: full
        target-database:
          host: "{{env.Target.Host}}"
          port: {{env.Target.Port}}
          user: "{{env.Target.User}}"
          password: ""
        mysql-instances:
          - source-id: "hi-src"
            block-allow-list: "ba"
            mydumper-config-name: "md"
            loader-config-name: "ld"
            syncer-config-name: "sy"
        block-allow-list:
          ba:
            do-dbs: ["shop"]
        mydumpers:
          md:
            threads: 4
        loaders:
          ld:
            pool-size: 16
        syncers:
          sy:
            worker-count: 16

        """;

    private static string WithUnitKey(string yaml, string key, string value) => key switch
    {
        "threads" => yaml.Replace("    threads: 4", "    threads: " + value),
        "pool-size" => yaml.Replace("    pool-size: 16", "    pool-size: " + value),
        "worker-count" => yaml.Replace("    worker-count: 16", "    worker-count: " + value),
        _ => yaml.Replace("    worker-count: 16", $"    worker-count: 16\n    {key}: {value}"),
    };

    private static string Bomb(bool merges, int levels)
    {
        var text = new StringBuilder("name: bomb\n");
        text.Append(merges ? "l0: &l0 {a: 1}\n" : "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i <= levels; i++)
        {
            var refs = string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 9));
            text.Append(merges ? $"l{i}: &l{i} {{<<: [{refs}], k{i}: 1}}\n" : $"l{i}: &l{i} [{refs}]\n");
        }
        return text.ToString();
    }

    private static string JunkBody(Random random) => random.Next(12) switch
    {
        0 => "{",
        1 => "[" + string.Concat(Enumerable.Repeat("[", 3000)) + "]",
        2 => "null",
        3 => "\"just a string\"",
        4 => "{\"source\": 42, \"task\": [], \"worker_name\": {}, \"overwrite\": \"yes\"}",
        5 => "{\"task\":{\"name\":\"../../x\",\"task_mode\":\"all\",\"on_duplicate\":\"explode\"}}",
        6 => Encoding.Latin1.GetString(RandomBytes(random)),
        7 => "{\"overwrite\": true, \"overwrite\": \"dup\"}",
        8 => "{\"schema_source\": \"sql\", \"sql_content\": 5, \"flush\": \"no\"}",
        9 => "{\"relay_binlog_name\": \"../../etc/passwd\", \"relay_dir\": \"/\", \"worker_name\": null}",
        10 => "{\"task_config_file\": 17, \"error_count\": -1, \"warn_count\": 2147483648}",
        _ => "\uFEFF{\"name\":\"\\uD800\"}",
    };

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 300)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Clip(string s) => s.Length <= 300 ? s : s[..300] + "...";
}
