using System.Globalization;

namespace Dm.Bench.Sync;

/// <summary>
/// Command line of the Sync benchmark. The catch-up backlog is <c>--events</c> sysbench oltp_write_only transactions
/// (about 4 row changes each) over <c>--tables</c> x <c>--table-size</c> rows; both peers apply it with <c>--threads</c>.
/// The lag phase runs sysbench at <c>--lag-rate</c> transactions/s for <c>--lag-seconds</c> while both replicate.
/// </summary>
internal sealed record BenchOptions
{
    public int Tables { get; init; } = 4;
    public int TableSize { get; init; } = 100_000;
    public int Events { get; init; } = 50_000;
    public int SysbenchThreads { get; init; } = 4;
    public int Threads { get; init; } = 4;
    public int Batch { get; init; } = 100;
    public string ParallelMode { get; init; } = "optimistic";
    public int LagSeconds { get; init; } = 30;
    public int LagRate { get; init; } = 200;
    /// <summary>Rounds of the catch-up (each peer once per round, in alternating order, from the same state).</summary>
    public int Rounds { get; init; } = 3;
    public bool SkipReplica { get; init; }
    public bool SkipDm { get; init; }
    /// <summary>Leave out the relay variant (DM# with its source's relay log on, Sync reading that).</summary>
    public bool SkipRelay { get; init; }
    /// <summary>Where to copy dm-master's and dm-worker's logs at the end; null = not kept.</summary>
    public string? DmLogDirectory { get; init; }

    public const string Usage = "--tables N (4) --table-size N (100000) --events N (50000) --sysbench-threads N (4) --threads N (4) "
        + "--batch N (100) --parallel-mode optimistic|conservative|aggressive|minimal (optimistic) --lag-seconds N (30, 0 = no lag phase) "
        + "--lag-rate TPS (200) --rounds N (3) --skip-replica --skip-dm --skip-relay --dm-log-dir DIR (keep dm-master/dm-worker logs)";

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            int Next() => i + 1 < args.Length
                ? int.Parse(args[++i], CultureInfo.InvariantCulture)
                : throw new ArgumentException($"{args[i]} needs a value ({Usage})");
            options = args[i] switch
            {
                "--tables" => options with { Tables = Next() },
                "--table-size" => options with { TableSize = Next() },
                "--events" => options with { Events = Next() },
                "--sysbench-threads" => options with { SysbenchThreads = Next() },
                "--threads" => options with { Threads = Next() },
                "--batch" => options with { Batch = Next() },
                "--parallel-mode" => options with { ParallelMode = i + 1 < args.Length ? args[++i] : throw new ArgumentException("--parallel-mode needs a value") },
                "--lag-seconds" => options with { LagSeconds = Next() },
                "--lag-rate" => options with { LagRate = Next() },
                "--rounds" => options with { Rounds = Next() },
                "--skip-replica" => options with { SkipReplica = true },
                "--skip-dm" => options with { SkipDm = true },
                "--skip-relay" => options with { SkipRelay = true },
                "--dm-log-dir" => options with { DmLogDirectory = i + 1 < args.Length ? args[++i] : throw new ArgumentException("--dm-log-dir needs a value") },
                _ => throw new ArgumentException($"unknown option {args[i]} ({Usage})"),
            };
        }
        if (options.ParallelMode is not ("optimistic" or "conservative" or "aggressive" or "minimal" or "none"))
            throw new ArgumentException($"--parallel-mode {options.ParallelMode}: MariaDB knows optimistic, conservative, aggressive, minimal, none");
        if (options.Rounds < 1) throw new ArgumentException("--rounds must be at least 1");
        if (options.SkipDm && options.SkipReplica) throw new ArgumentException("--skip-dm and --skip-replica leave nothing to measure");
        return options;
    }
}
