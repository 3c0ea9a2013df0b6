using System.Globalization;
using System.Text.RegularExpressions;
using Dm.TestKit;

namespace Dm.Bench.Sync;

/// <summary>The sysbench oltp_write_only workload on the upstream's <c>sbtest</c> schema.</summary>
internal sealed partial class Sysbench(MariaDbServer upstream, BenchOptions options)
{
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        await upstream.ExecuteAsync("CREATE DATABASE IF NOT EXISTS sbtest", cancellationToken);
        await RunAsync(["--threads=" + Math.Min(options.SysbenchThreads, options.Tables).ToString(CultureInfo.InvariantCulture), "prepare"], cancellationToken);
    }

    /// <summary>Exactly <paramref name="events"/> transactions as fast as the upstream takes them; returns sysbench's transactions/s.</summary>
    public async Task<double> RunEventsAsync(int events, CancellationToken cancellationToken) =>
        TransactionsPerSecond(await RunAsync([$"--threads={options.SysbenchThreads}", $"--events={events}", "--time=0", "run"], cancellationToken));

    /// <summary>A steady load: <paramref name="rate"/> transactions/s for <paramref name="seconds"/>; returns the achieved transactions/s.</summary>
    public async Task<double> RunSteadyAsync(int rate, int seconds, CancellationToken cancellationToken) =>
        TransactionsPerSecond(await RunAsync([$"--threads={options.SysbenchThreads}", $"--rate={rate}", $"--time={seconds}", "run"], cancellationToken));

    private Task<string> RunAsync(IEnumerable<string> extra, CancellationToken cancellationToken) => ChildProcess.RunAsync("sysbench",
    [
        "oltp_write_only", "--db-driver=mysql", "--mysql-host=127.0.0.1", $"--mysql-port={upstream.Port}", $"--mysql-user={upstream.User}",
        $"--mysql-password={upstream.Password}", "--mysql-db=sbtest", $"--tables={options.Tables}", $"--table-size={options.TableSize}",
        "--report-interval=0", .. extra,
    ], TimeSpan.FromHours(1), cancellationToken);

    private static double TransactionsPerSecond(string output)
    {
        var match = TransactionsLine().Match(output);
        if (!match.Success) throw new InvalidOperationException($"no 'transactions:' line in sysbench's output:\n{output}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"transactions:\s+\d+\s+\(([\d.]+) per sec\.\)")]
    private static partial Regex TransactionsLine();
}
