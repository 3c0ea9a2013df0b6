using Dm.TestKit;

namespace Dm.Master.Tests;

[CollectionDefinition(Name)]
public sealed class MasterCollection : ICollectionFixture<MasterEnvironment>
{
    public const string Name = "master";
}

/// <summary>
/// One real dm-master process and three real MariaDB servers (two upstreams, one target) shared by
/// the API tests. Tests use names of their own so they do not see each other's sources and tasks.
/// </summary>
public sealed class MasterEnvironment : IAsyncLifetime
{
    public MariaDbServer Upstream1 { get; private set; } = null!;
    public MariaDbServer Upstream2 { get; private set; } = null!;
    public MariaDbServer Target { get; private set; } = null!;
    public DmMasterProcess Master { get; private set; } = null!;
    public ApiClient Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var servers = await Task.WhenAll(
            MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 11 }),
            MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 12 }),
            MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 21 }));
        (Upstream1, Upstream2, Target) = (servers[0], servers[1], servers[2]);
        Master = await DmMasterProcess.StartAsync();
        Api = new ApiClient(Master.Http);
        await SeedAsync(Upstream1, "shop");
        await SeedAsync(Upstream2, "shop");
    }

    /// <summary>A few schemas and tables upstream, including names that need quoting.</summary>
    private static async Task SeedAsync(MariaDbServer server, string schema)
    {
        await server.ExecuteAsync($"""
            CREATE DATABASE IF NOT EXISTS `{schema}`;
            CREATE TABLE IF NOT EXISTS `{schema}`.orders (id INT PRIMARY KEY, amount DECIMAL(10,2));
            CREATE TABLE IF NOT EXISTS `{schema}`.customers (id INT PRIMARY KEY, name VARCHAR(50));
            CREATE OR REPLACE VIEW `{schema}`.big_orders AS SELECT * FROM `{schema}`.orders WHERE amount > 100;
            CREATE DATABASE IF NOT EXISTS `db-with-dash`;
            CREATE TABLE IF NOT EXISTS `db-with-dash`.`table``tick` (id INT PRIMARY KEY);
            CREATE DATABASE IF NOT EXISTS logs;
            CREATE TABLE IF NOT EXISTS logs.events_2024 (id BIGINT PRIMARY KEY);
            CREATE TABLE IF NOT EXISTS logs.events_2025 (id BIGINT PRIMARY KEY);
            """);
    }

    /// <summary>A source body for <paramref name="server"/>, as a DM user would POST it.</summary>
    public static object SourceBody(string name, MariaDbServer server, bool enable = true, string? password = null) => new
    {
        source_name = name,
        host = server.Host,
        port = server.Port,
        user = server.User,
        password = password ?? server.Password,
        enable_gtid = false,
        enable,
    };

    public async Task DisposeAsync()
    {
        if (Master != null) await Master.DisposeAsync();
        foreach (var server in new[] { Upstream1, Upstream2, Target })
            if (server != null) await server.DisposeAsync();
    }
}
