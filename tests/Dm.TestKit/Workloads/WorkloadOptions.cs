namespace Dm.TestKit.Workloads;

/// <summary>What a <see cref="RandomWorkload"/> run does; the seed makes each connection's sequence of operations reproducible.</summary>
public sealed record WorkloadOptions
{
    /// <summary>The run's seed: DM_WORKLOAD_SEED from the environment when set (to replay a failure), else a fresh one.</summary>
    public int Seed { get; init; } = SeedFromEnvironment();

    /// <summary>Concurrent upstream connections; connection i draws from Random(Seed + i).</summary>
    public int Connections { get; init; } = 2;

    /// <summary>Stop after this long (with <see cref="OperationsPerConnection"/>, whichever comes first).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    public int OperationsPerConnection { get; init; } = int.MaxValue;

    /// <summary>Rows of a large transaction.</summary>
    public int LargeTransactionRows { get; init; } = 10_000;

    /// <summary>Chance that an operation is a large transaction.</summary>
    public double LargeTransactionRate { get; init; } = 0.003;

    /// <summary>Chance that an operation is a DDL statement.</summary>
    public double DdlRate { get; init; } = 0.03;

    /// <summary>Statements in an explicit transaction: 2 up to this.</summary>
    public int MaxTransactionStatements { get; init; } = 8;

    /// <summary>Pause after each operation, to leave the machine's cores to the replication being tested.</summary>
    public TimeSpan OperationDelay { get; init; } = TimeSpan.Zero;

    /// <summary>How long a connection keeps trying to reconnect when the server is gone (restarts, dropped connections).</summary>
    public TimeSpan ReconnectFor { get; init; } = TimeSpan.FromSeconds(60);

    public WorkloadTables Tables { get; init; } = new();

    public Action<string> Log { get; init; } = _ => { };

    private static int SeedFromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable("DM_WORKLOAD_SEED"), out var seed) ? seed : Random.Shared.Next();
}
