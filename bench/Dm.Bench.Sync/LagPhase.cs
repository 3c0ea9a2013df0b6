using System.Diagnostics;
using Dm.TestKit;

namespace Dm.Bench.Sync;

/// <summary>Both peers replicating a steady sysbench --rate load while heartbeats measure how far behind each one is.</summary>
internal static class LagPhase
{
    public static async Task RunAsync(MariaDbServer upstream, IReadOnlyList<IReplicationPeer> peers, Sysbench sysbench, CatchUpMarker marker,
        BenchOptions options, CancellationToken cancellationToken)
    {
        var probe = new LagProbe(upstream);
        await probe.CreateTableAsync(cancellationToken);
        // Start measuring only once every peer has the heartbeat table (and so everything before it).
        var (ready, _) = await marker.PlaceAsync(cancellationToken);
        foreach (var peer in peers) await CatchUpMarker.WaitAsync(peer, ready, Stopwatch.StartNew(), TimeSpan.FromMinutes(5), cancellationToken);

        using var stopWriting = new CancellationTokenSource();
        var writer = probe.WriteAsync(stopWriting.Token);
        var observers = peers.Select(p => probe.ObserveAsync(p.Target, stopWriting.Token, TimeSpan.FromMinutes(2), cancellationToken)).ToList();
        var steadyTps = await sysbench.RunSteadyAsync(options.LagRate, options.LagSeconds, cancellationToken);
        await stopWriting.CancelAsync();
        await writer;
        var seen = await Task.WhenAll(observers);
        Console.WriteLine($"lag under a steady load: sysbench --rate={options.LagRate} ({steadyTps:F0} tps achieved, ~{steadyTps * 4:F0} row changes/s) "
            + $"for {options.LagSeconds} s, {probe.Written} heartbeats every 100 ms, polled every 10 ms");
        for (var i = 0; i < peers.Count; i++)
        {
            var (lags, missing) = seen[i];
            Console.WriteLine($"  {peers[i].Name,-16} lag p50 {LagProbe.Percentile(lags, 50),7:F0} ms   p99 {LagProbe.Percentile(lags, 99),7:F0} ms   "
                + $"max {(lags.Count > 0 ? lags.Max() : double.NaN),7:F0} ms   ({lags.Count} samples" + (missing > 0 ? $", {missing} NEVER ARRIVED)" : ")"));
        }
    }
}
