using System.Collections.Concurrent;
using System.Diagnostics;
using MySqlConnector;

namespace Dm.TestKit.Workloads;

/// <summary>
/// A seeded random workload on an upstream server: several concurrent connections of DML, transactions small and
/// large, and DDL over the tables of <see cref="WorkloadTables"/>. Create the tables first, then run it once or in
/// phases (phase n draws from seed + 1000·n so a failing run replays with the printed seed).
/// </summary>
public sealed class RandomWorkload(string connectionString, WorkloadOptions options, int seedRows)
{
    private readonly WorkloadCatalog _catalog = new(options.Tables, firstFreeKey: seedRows + 1);
    private int _phase;

    public WorkloadOptions Options => options;
    public WorkloadTables Tables => options.Tables;

    public static RandomWorkload For(MariaDbServer upstream, WorkloadOptions options, int seedRows = 0) =>
        new(upstream.ConnectionString(), options, seedRows);

    /// <summary>Creates both schemas and the fixed tables, with <c>seedRows</c> rows in each.</summary>
    public async Task CreateTablesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var sql in options.Tables.CreateStatements().Concat(options.Tables.SeedStatements(seedRows)))
        {
            await using var command = new MySqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Runs every connection until the duration or operation count is reached, or until cancelled.</summary>
    /// <param name="withDdl">false runs DML only (e.g. while a dump runs: DM does not support DDL during the full export).</param>
    public async Task<WorkloadReport> RunAsync(CancellationToken cancellationToken = default, bool withDdl = true)
    {
        var phase = _phase++;
        var phaseOptions = options with { Seed = options.Seed + 1000 * phase, DdlRate = withDdl ? options.DdlRate : 0 };
        options.Log($"workload phase {phase}: seed {options.Seed} (DM_WORKLOAD_SEED={options.Seed} replays it), {options.Connections} connections, " +
            $"up to {options.Duration.TotalSeconds:0}s{(withDdl ? "" : ", no DDL")}");
        var counts = new ConcurrentDictionary<string, int>();
        var until = DateTime.UtcNow + options.Duration;
        var clock = Stopwatch.StartNew();
        var sessions = Enumerable.Range(0, options.Connections)
            .Select(i => new WorkloadSession(i, connectionString, phaseOptions, _catalog, counts).RunAsync(until, cancellationToken));
        await Task.WhenAll(sessions);
        var report = new WorkloadReport(options.Seed, phase, clock.Elapsed, new SortedDictionary<string, int>(counts));
        options.Log(report.ToString());
        return report;
    }
}

/// <summary>What a workload phase did: operations by kind, tolerated errors by number, lost connections.</summary>
public sealed record WorkloadReport(int Seed, int Phase, TimeSpan Elapsed, IReadOnlyDictionary<string, int> Counts)
{
    public int Operations => Counts.Where(c => !c.Key.StartsWith("tolerated", StringComparison.Ordinal) && c.Key != "connection lost").Sum(c => c.Value);

    public override string ToString() =>
        $"workload seed {Seed} phase {Phase}: {Operations} operations in {Elapsed.TotalSeconds:0.0}s — " +
        string.Join(", ", Counts.Select(c => $"{c.Key} {c.Value}"));
}
