using Dm.Core.Config;
using Dm.Core.Upstream;
using Dm.TestKit;
using Dm.Worker.Sync;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;

namespace Dm.Worker.Tests.Sync;

[CollectionDefinition(Name)]
public sealed class SyncCollection : ICollectionFixture<SyncServersFixture>
{
    public const string Name = "sync";
}

/// <summary>An upstream and a target MariaDB for Sync unit tests; each test uses its own schema names.</summary>
public sealed class SyncServersFixture : IAsyncLifetime
{
    public MariaDbServer Source { get; private set; } = null!;
    public MariaDbServer Target { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var source = MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 21 });
        var target = MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 22 });
        Source = await source;
        Target = await target;
    }

    public async Task DisposeAsync()
    {
        await Source.DisposeAsync();
        await Target.DisposeAsync();
    }

    public static DatabaseEndpoint Endpoint(MariaDbServer server) => new(server.Host, server.Port, server.User, server.Password);

    public async Task<BinlogMeta> MasterPositionAsync()
    {
        await using var connection = await Source.OpenAsync();
        await using var command = new MySqlCommand("SHOW MASTER STATUS", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new BinlogMeta { BinlogName = reader.GetString(0), BinlogPos = Convert.ToUInt32(reader.GetValue(1)) };
    }

    /// <summary>An incremental subtask over the given schemas starting at <paramref name="meta"/>.</summary>
    public SyncUnit Unit(string task, BinlogMeta meta, IReadOnlyList<string> schemas, Action<SubTaskConfig>? adjust = null, int largeRows = 50_000)
    {
        var config = new SubTaskConfig
        {
            Name = task,
            Mode = TaskModes.Incremental,
            SourceId = "sync-source",
            Meta = meta,
            BlockAllowList = new Dm.Core.Rules.BlockAllowListRules { DoDbs = [.. schemas] },
            Syncer = new SyncerConfig { WorkerCount = 4, Batch = 50, Compact = true, MultipleRows = true }, // as an OpenAPI task runs
        };
        adjust?.Invoke(config);
        config.Adjust();
        var source = new SourceConfig { SourceId = "sync-source", ServerId = 4242 };
        return new SyncUnit(new SyncSettings(config, source, Endpoint(Source), Endpoint(Target)) { LargeTransactionRows = largeRows },
            NullLogger.Instance);
    }

    /// <summary>Dump and Load units of a full-mode subtask copying <paramref name="schemas"/> (streamed, or through files).</summary>
    public (Dm.Worker.Dump.DumpUnit Dump, Dm.Worker.Load.LoadUnit Load) FullCopy(string task, IReadOnlyList<string> schemas, bool streaming,
        Action<SubTaskConfig>? adjust = null)
    {
        var config = new SubTaskConfig
        {
            Name = task,
            Mode = TaskModes.Full,
            SourceId = "sync-source",
            BlockAllowList = new Dm.Core.Rules.BlockAllowListRules { DoDbs = [.. schemas] },
            Mydumper = new MydumperConfig { Threads = 2 },
            Loader = new LoaderConfig { PoolSize = 2, Dir = Path.Combine(Path.GetTempPath(), "dm-worker-tests", Guid.NewGuid().ToString("N")) },
        };
        adjust?.Invoke(config);
        return Dm.Worker.Units.FullCopyUnits.Create(new Dm.Worker.Units.FullCopyContext(config, Endpoint(Source), Endpoint(Target))
        {
            DumpFiles = _dumpFiles, Streaming = streaming, DefaultChunkRows = 1000,
        });
    }

    private readonly Dm.Worker.Dump.DumpFileRegistry _dumpFiles = new();

    /// <summary>Runs the unit until the target has caught up with the upstream's current position, or fails the test.</summary>
    public async Task CatchUpAsync(SyncUnit unit, TimeSpan? timeout = null)
    {
        var goal = await MasterPositionAsync();
        using var cts = new CancellationTokenSource();
        var run = unit.ProcessAsync(cts.Token);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (run.IsCompleted)
            {
                var result = await run;
                Assert.Fail($"sync stopped: {result.Outcome} {result.Error?.Message}");
            }
            var status = (Dm.Core.Api.SyncStatus)unit.Status();
            if (status.SyncerBinlog == $"({goal.BinlogName}, {goal.BinlogPos})" || ReachedGoal(status.SyncerBinlog, goal)) break;
            await Task.Delay(100);
        }
        cts.Cancel();
        var end = await run;
        Assert.True(end.Outcome == Dm.Worker.Units.UnitOutcome.Paused, $"{end.Outcome} {end.Error?.Message}");
        var final = (Dm.Core.Api.SyncStatus)unit.Status();
        Assert.True(ReachedGoal(final.SyncerBinlog, goal), $"sync reached {final.SyncerBinlog}, upstream was at ({goal.BinlogName}, {goal.BinlogPos})");
    }

    private static bool ReachedGoal(string syncer, BinlogMeta goal)
    {
        if (syncer.Length < 4) return false;
        var parts = syncer.Trim('(', ')').Split(", ");
        var cmp = string.CompareOrdinal(parts[0], goal.BinlogName);
        return cmp > 0 || (cmp == 0 && ulong.Parse(parts[1]) >= goal.BinlogPos);
    }

    public async Task AssertSameAsync(params (string Schema, string Table)[] tables)
    {
        await using var source = await Source.OpenAsync();
        await using var target = await Target.OpenAsync();
        await Dm.TestKit.DataComparison.MigrationComparer.AssertSameAsync(source, target, tables.Select(t => (t, t)));
    }

    /// <summary>Runs statements in order on one upstream session (its session settings carry from one statement to the next).</summary>
    public async Task UpstreamAsync(params string[] statements)
    {
        await using var connection = await Source.OpenAsync();
        foreach (var sql in statements)
        {
            await using var command = new MySqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Creates the same schema on both sides (what a full copy would have left).</summary>
    public async Task CreateBothAsync(string sql)
    {
        await Source.ExecuteAsync(sql);
        await Target.ExecuteAsync(sql);
    }
}
