using Dm.TestKit;

namespace Dm.Ctl.Tests;

[CollectionDefinition(Name)]
public sealed class CtlCollection : ICollectionFixture<CtlEnvironment>
{
    public const string Name = "dmctl";
}

/// <summary>
/// One real dm-master and three real MariaDB servers (two upstreams with a few schemas, one target) that the
/// built dmctl runs against. Tests use their own source and task names so they do not see each other's.
/// </summary>
public sealed class CtlEnvironment : IAsyncLifetime
{
    public MariaDbServer Upstream1 { get; private set; } = null!;
    public MariaDbServer Upstream2 { get; private set; } = null!;
    public MariaDbServer Target { get; private set; } = null!;
    public DmMasterProcess Master { get; private set; } = null!;
    public string MasterAddr => $"127.0.0.1:{Master.Port}";
    public string WorkDirectory { get; } = Path.Combine(Path.GetTempPath(), "dm-testkit", $"dmctl-{Guid.NewGuid():N}"[..18]);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(WorkDirectory);
        var servers = await Task.WhenAll(
            MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 31 }),
            MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 32 }),
            MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 41 }));
        (Upstream1, Upstream2, Target) = (servers[0], servers[1], servers[2]);
        Master = await DmMasterProcess.StartAsync();
        foreach (var upstream in new[] { Upstream1, Upstream2 })
        {
            await upstream.ExecuteAsync("""
                CREATE DATABASE IF NOT EXISTS shop;
                CREATE TABLE IF NOT EXISTS shop.orders (id INT PRIMARY KEY, amount DECIMAL(10,2));
                CREATE TABLE IF NOT EXISTS shop.customers (id INT PRIMARY KEY, name VARCHAR(50));
                CREATE DATABASE IF NOT EXISTS logs;
                CREATE TABLE IF NOT EXISTS logs.events_2024 (id BIGINT PRIMARY KEY);
                CREATE TABLE IF NOT EXISTS logs.events_2025 (id BIGINT PRIMARY KEY);
                CREATE DATABASE IF NOT EXISTS scratch;
                CREATE TABLE IF NOT EXISTS scratch.tmp (id INT PRIMARY KEY);
                """);
        }
    }

    /// <summary>Runs the built dmctl against this master.</summary>
    public Task<DmctlRun> Dmctl(params string[] args) => DmctlProcess.RunAsync(["--master-addr", MasterAddr, .. args]);

    /// <summary>Writes a file into this run's work directory and returns its path.</summary>
    public string WriteFile(string name, string text)
    {
        var path = Path.Combine(WorkDirectory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public async Task DisposeAsync()
    {
        if (Master != null) await Master.DisposeAsync();
        foreach (var server in new[] { Upstream1, Upstream2, Target })
            if (server != null) await server.DisposeAsync();
        try { Directory.Delete(WorkDirectory, recursive: true); } catch (IOException) { }
    }
}
