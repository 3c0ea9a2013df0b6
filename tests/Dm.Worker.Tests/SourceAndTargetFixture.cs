using Dm.Core.Config;
using Dm.Core.Rules;
using Dm.Core.Upstream;
using Dm.TestKit;
using Dm.Worker.Units;
using MySqlConnector;

namespace Dm.Worker.Tests;

[CollectionDefinition(Name)]
public sealed class FullCopyCollection : ICollectionFixture<SourceAndTargetFixture>
{
    public const string Name = "full copy";
}

/// <summary>
/// A source MariaDB filled once with the migration corpus (<see cref="SourceCorpus"/>) and a target MariaDB
/// that each test empties first.
/// </summary>
public sealed class SourceAndTargetFixture : IAsyncLifetime
{
    public MariaDbServer Source { get; private set; } = null!;
    public MariaDbServer Target { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var source = MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 11 });
        var target = MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 12 });
        Source = await source;
        Target = await target;
        await using var connection = await Source.OpenAsync();
        await SourceCorpus.CreateAsync(connection);
    }

    public async Task DisposeAsync()
    {
        await Source.DisposeAsync();
        await Target.DisposeAsync();
    }

    public static DatabaseEndpoint Endpoint(MariaDbServer server) => new(server.Host, server.Port, server.User, server.Password);

    /// <summary>The dump dirs the contexts' Dump units write, as a worker process holds them.</summary>
    public Dm.Worker.Dump.DumpFileRegistry DumpFiles { get; } = new();

    /// <summary>A full-mode subtask over the corpus: block-allow list and routes as <see cref="SourceCorpus"/> expects.</summary>
    public FullCopyContext Context(string task, bool streaming, string? dumpDir = null, Action<SubTaskConfig>? adjust = null)
    {
        var config = new SubTaskConfig
        {
            Name = task,
            Mode = TaskModes.Full,
            SourceId = "mysql-replica-01",
            BlockAllowList = SourceCorpus.BlockAllowList(),
            RouteRules = SourceCorpus.Routes(),
            Mydumper = new MydumperConfig { Threads = 3 },
            Loader = new LoaderConfig { PoolSize = 4, Dir = dumpDir ?? Path.Combine(Path.GetTempPath(), "dm-worker-tests", Guid.NewGuid().ToString("N")) },
        };
        adjust?.Invoke(config);
        return new FullCopyContext(config, Endpoint(Source), Endpoint(Target)) { DumpFiles = DumpFiles, Streaming = streaming, DefaultChunkRows = 20_000 };
    }

    public async Task ResetTargetAsync()
    {
        await using var connection = await Target.OpenAsync();
        var schemas = new List<string>();
        await using (var command = new MySqlCommand("SHOW DATABASES", connection))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) schemas.Add(reader.GetString(0));
        foreach (var schema in schemas.Where(s => s is not ("mysql" or "information_schema" or "performance_schema" or "sys")))
        {
            await using var drop = new MySqlCommand("DROP DATABASE " + Quote.Identifier(schema), connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    /// <summary>A target row whose key the load will meet again: replace mode must overwrite it with the source row.</summary>
    public async Task SeedConflictingTargetRowAsync()
    {
        await Target.ExecuteAsync("CREATE DATABASE route_dst");
        await Target.ExecuteAsync("CREATE TABLE route_dst.plain (id INT PRIMARY KEY, v VARCHAR(10))");
        await Target.ExecuteAsync("INSERT INTO route_dst.plain VALUES (2, 'stale')");
    }

    public async Task AssertMigratedAsync()
    {
        await using var source = await Source.OpenAsync();
        await using var target = await Target.OpenAsync();
        await Dm.TestKit.DataComparison.MigrationComparer.AssertSameAsync(source, target, SourceCorpus.ExpectedTables());
        foreach (var (schema, table) in SourceCorpus.NotMigrated())
        {
            await using var command = new MySqlCommand("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA=@s AND TABLE_NAME=@t", target);
            command.Parameters.AddWithValue("@s", schema);
            command.Parameters.AddWithValue("@t", table);
            Assert.Equal(0L, Convert.ToInt64(await command.ExecuteScalarAsync()));
        }
    }
}
