using System.Security.Cryptography;
using Dm.TestKit;

namespace Dm.Master.Tests;

/// <summary>dm-master's config file, secret key, /status and /metrics.</summary>
[Collection(MasterCollection.Name)]
public sealed class MasterConfigTests(MasterEnvironment env)
{
    [Fact]
    public async Task TomlConfigIsReadAndFlagsWin()
    {
        var dir = Directory.CreateTempSubdirectory("dm-master-config-").FullName;
        var config = Path.Combine(dir, "master.toml");
        await File.WriteAllTextAsync(config, """
            name = "from-toml"
            log-level = "debug"
            rpc-timeout = "45s"
            peer-urls = "http://127.0.0.1:18291"
            """);
        await using var master = await DmMasterProcess.StartAsync("from-flag", ["--config", config]);
        var masters = await new ApiClient(master.Http).Get("/api/v1/cluster/masters");
        Assert.Equal("from-flag", masters.Json!["data"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("http://127.0.0.1:18291", masters.Json["data"]![0]!["addr"]!.GetValue<string>());
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task UnknownTomlKeyStopsTheMaster()
    {
        var dir = Directory.CreateTempSubdirectory("dm-master-config-").FullName;
        var config = Path.Combine(dir, "master.toml");
        await File.WriteAllTextAsync(config, "name = \"x\"\nno-such-option = 1\n");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ChildProcess.RunAsync("dotnet",
            [RepositoryLayout.ProgramDll("Dm.Master", "dm-master"), "--config", config, "--data-dir", Path.Combine(dir, "data")],
            TimeSpan.FromSeconds(30)));
        Assert.Contains("no-such-option", error.Message);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task WithASecretKeyPasswordsAreStoredEncryptedAndStillWork()
    {
        var dir = Directory.CreateTempSubdirectory("dm-master-secret-").FullName;
        var keyFile = Path.Combine(dir, "secret.key");
        await File.WriteAllTextAsync(keyFile, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        await using var master = await DmMasterProcess.StartAsync("secret-master", ["--secret-key-path", keyFile]);
        var api = new ApiClient(master.Http);
        Assert.Equal(201, (await api.Post("/api/v1/sources", new { source = MasterEnvironment.SourceBody("enc-src", env.Upstream1) })).Code);

        await master.StopAsync();
        var stored = await File.ReadAllBytesAsync(Path.Combine(master.DataDirectory, "cluster-state.db"));
        var wal = Path.Combine(master.DataDirectory, "cluster-state.db-wal");
        var all = File.Exists(wal) ? stored.Concat(await File.ReadAllBytesAsync(wal)).ToArray() : stored;
        Assert.Equal(-1, all.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(env.Upstream1.Password)));

        await master.RestartAsync();
        Assert.Equal(200, (await api.Get("/api/v1/sources/enc-src/schemas")).Code);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task StatusAndMetricsAreServed()
    {
        var api = env.Api;
        var status = await api.Get("/status");
        Assert.Equal(200, status.Code);
        Assert.Contains("Release Version", status.Body);
        await api.Get("/api/v1/sources");
        var metrics = await api.Get("/metrics");
        Assert.Equal(200, metrics.Code);
        Assert.Contains("# TYPE dm_master_api_requests_total counter", metrics.Body);
        Assert.Contains("dm_master_api_requests_total{operation=\"DMAPIGetSourceList\",status=\"200\"}", metrics.Body);
    }
}
