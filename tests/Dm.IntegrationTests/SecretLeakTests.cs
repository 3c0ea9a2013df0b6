using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Dm.TestKit;

namespace Dm.IntegrationTests;

/// <summary>
/// No secret in any output of a full run: a master (with a secret key) and a worker migrate a task whose source has a
/// password and whose target has a password and a TLS client key (certificates made here; the target requires TLS).
/// Every GET answer, dmctl's query-status / config / show answers, the master's and the worker's log files and the
/// state database are searched for the passwords, the private key's text and the cluster's join secret.
/// </summary>
public sealed class SecretLeakTests : IAsyncLifetime
{
    private const string SourcePassword = "Src-Leak-Pw-7431";
    private const string TargetPassword = "Tgt-Leak-Pw-9152";
    private readonly TestCertificates _certificates = TestCertificates.Create("leak-ca");
    private readonly string _dir = Directory.CreateTempSubdirectory("dm-secret-leak-").FullName;
    private MariaDbServer _upstream = null!;
    private MariaDbServer _target = null!;

    public async Task InitializeAsync()
    {
        var (ca, cert, key) = (Path.Combine(_dir, "ca.pem"), Path.Combine(_dir, "server.pem"), Path.Combine(_dir, "server-key.pem"));
        await File.WriteAllTextAsync(ca, _certificates.CaPem);
        await File.WriteAllTextAsync(cert, _certificates.ServerCertPem);
        await File.WriteAllTextAsync(key, _certificates.ServerKeyPem);
        var servers = await Task.WhenAll(
            MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 61, RootPassword = SourcePassword }),
            MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 62,
                ExtraArguments = [$"ssl-ca={ca}", $"ssl-cert={cert}", $"ssl-key={key}"] }));
        (_upstream, _target) = (servers[0], servers[1]);
        await _upstream.ExecuteAsync("""
            CREATE DATABASE leakdb;
            CREATE TABLE leakdb.t (id INT PRIMARY KEY, v VARCHAR(20));
            INSERT INTO leakdb.t VALUES (1, 'a'), (2, 'b'), (3, 'c');
            """);
        // DM's user on the target must present a client certificate (the task's ssl_key_content is used for real).
        await _target.ExecuteAsync($"CREATE USER 'dm_tls'@'%' IDENTIFIED BY '{TargetPassword}' REQUIRE X509; GRANT ALL PRIVILEGES ON *.* TO 'dm_tls'@'%';");
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        await _target.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task No_secret_in_any_response_log_status_or_state_file_after_a_full_run()
    {
        var keyFile = Path.Combine(_dir, "secret.key");
        await File.WriteAllTextAsync(keyFile, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        await using var master = await DmMasterProcess.StartAsync("leak-master", ["--secret-key-path", keyFile]);
        await using var worker = await DmWorkerProcess.StartAsync("leak-w1", [master]);
        var joinSecret = File.ReadAllText(master.JoinSecretPath).Trim();
        // The key's body (its base64 lines), not its armour, is what must not show.
        var keyLines = _certificates.ClientKeyPem.Split('\n').Where(l => l.Length > 20 && !l.StartsWith("-----", StringComparison.Ordinal)).ToList();
        var secrets = new List<string> { SourcePassword, TargetPassword, joinSecret, keyLines[0], keyLines[^1] };
        var outputs = new List<(string What, string Text)>();

        var source = await master.Http.PostAsJsonAsync("/api/v1/sources", new
        {
            source = new { source_name = "leak-src", host = _upstream.Host, port = _upstream.Port, user = _upstream.User,
                password = SourcePassword, enable_gtid = false, enable = true },
        });
        outputs.Add(("POST /sources", await source.Content.ReadAsStringAsync()));
        Assert.Equal(201, (int)source.StatusCode);
        var task = await master.Http.PostAsJsonAsync("/api/v1/tasks", new
        {
            task = new
            {
                name = "leaktask", task_mode = "all", meta_schema = "dm_meta", enhance_online_schema_change = true, on_duplicate = "replace",
                target_config = new
                {
                    host = _target.Host, port = _target.Port, user = "dm_tls", password = TargetPassword,
                    security = new { ssl_ca_content = _certificates.CaPem, ssl_cert_content = _certificates.ClientCertPem, ssl_key_content = _certificates.ClientKeyPem },
                },
                table_migrate_rule = new[] { new { source = new { source_name = "leak-src", schema = "leakdb", table = "*" } } },
                source_config = new { source_conf = new[] { new { source_name = "leak-src" } } },
            },
        });
        outputs.Add(("POST /tasks", await task.Content.ReadAsStringAsync()));
        Assert.True((int)task.StatusCode == 201, outputs[^1].Text);
        var start = await master.Http.PostAsync("/api/v1/tasks/leaktask/start", null);
        outputs.Add(("POST start", await start.Content.ReadAsStringAsync()));
        Assert.True((int)start.StatusCode == 200, outputs[^1].Text);
        await MigrationEnvironment.WaitForAsync(async () =>
        {
            try { return await TargetRowsAsync() == 3; }
            catch (MySqlConnector.MySqlException) { return false; }
        }, "leakdb copied to the TLS target", TimeSpan.FromSeconds(90));
        await _upstream.ExecuteAsync("INSERT INTO leakdb.t VALUES (4, 'd')");
        await MigrationEnvironment.WaitForAsync(async () => await TargetRowsAsync() == 4, "the insert replicated", TimeSpan.FromSeconds(60));

        foreach (var path in new[]
        {
            "/api/v1/sources", "/api/v1/sources?with_status=true", "/api/v1/sources/leak-src", "/api/v1/sources/leak-src?with_status=true",
            "/api/v1/sources/leak-src/status", "/api/v1/sources/leak-src/schemas", "/api/v1/sources/leak-src/schemas/leakdb",
            "/api/v1/tasks", "/api/v1/tasks?with_status=true", "/api/v1/tasks/leaktask", "/api/v1/tasks/leaktask?with_status=true",
            "/api/v1/tasks/leaktask/status", "/api/v1/tasks/leaktask/sources/leak-src/schemas",
            "/api/v1/tasks/templates", "/api/v1/cluster/masters", "/api/v1/cluster/workers", "/api/v1/cluster/info",
            "/api/v1/docs/dm.json", "/status", "/metrics",
        })
        {
            var answer = await master.Http.GetAsync(path);
            outputs.Add(($"GET {path} ({(int)answer.StatusCode})", await answer.Content.ReadAsStringAsync()));
        }
        var converted = await master.Http.GetAsync("/api/v1/tasks/converters?task_name=leaktask");
        outputs.Add(("GET converters", await converted.Content.ReadAsStringAsync()));
        foreach (var args in new[]
        {
            new[] { "query-status" }, ["query-status", "leaktask"], ["query-status", "leaktask", "-s", "leak-src"],
            ["config", "task", "leaktask"], ["config", "source", "leak-src"], ["config", "master", "leak-master"],
            ["config", "worker", "leak-w1"], ["operate-source", "show"], ["operate-source", "show", "-s", "leak-src"],
            ["list-member"], ["get-config", "task", "leaktask"],
        })
        {
            var run = await DmctlRun.RunAsync(master, args);
            outputs.Add(($"dmctl {string.Join(' ', args)}", run.ToString()));
        }
        Assert.Contains(outputs, o => o.What == "dmctl query-status leaktask" && o.Text.Contains("leaktask", StringComparison.Ordinal));

        await worker.StopAsync();
        await master.StopAsync();
        outputs.Add(("master log", master.ReadLog()));
        outputs.Add(("worker log", worker.ReadLog()));
        foreach (var file in Directory.GetFiles(master.DataDirectory, "cluster-state.db*"))
            outputs.Add((file, Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file))));

        // The search looks where the secrets were: the state file and both logs are there and not empty.
        Assert.Contains(outputs, o => o.What.EndsWith("cluster-state.db", StringComparison.Ordinal) && o.Text.Length > 0);
        Assert.Contains("leaktask", outputs.Single(o => o.What == "worker log").Text, StringComparison.Ordinal);
        Assert.Contains("leak-src", outputs.Single(o => o.What == "master log").Text, StringComparison.Ordinal);
        var leaks = (from o in outputs from s in secrets where o.Text.Contains(s, StringComparison.Ordinal)
                     select $"{o.What} holds {(s == joinSecret ? "the join secret" : s == SourcePassword ? "the source password" : s == TargetPassword ? "the target password" : "the TLS private key")}").ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }

    private async Task<long> TargetRowsAsync() => Convert.ToInt64(await _target.ScalarAsync("SELECT COUNT(*) FROM leakdb.t"));
}
