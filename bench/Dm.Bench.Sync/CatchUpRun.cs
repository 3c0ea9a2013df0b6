using System.Diagnostics;
using Dm.TestKit;

namespace Dm.Bench.Sync;

/// <summary>One peer applying the whole backlog from its start: timed to the marker, with the CPU its processes spent, then verified.</summary>
internal static class CatchUpRun
{
    /// <summary>Prints the peer's figures; returns its rows/s and the CPU seconds its processes spent (null when unknown).</summary>
    public static async Task<(double RowsPerSecond, double? CpuSeconds)> MeasureAsync(IReplicationPeer peer, MariaDbServer upstream, BinlogCoordinates start, string markerTable,
        BinlogCoordinates end, BinlogBacklog backlog, CancellationToken cancellationToken)
    {
        Console.WriteLine($"{peer.Name}: {await peer.DescribeAsync(cancellationToken)}");
        var processes = peer.Processes.Select(p => (p.Label, Pid: ProcessCpu.Find(p.CommandLineFragment))).ToList();
        var cpuBefore = processes.Select(p => ProcessCpu.Seconds(p.Pid)).ToList();
        var statementsBefore = await TargetStatementCounts.ReadAsync(peer.Target, cancellationToken);
        var firstWrite = await FirstWriteWatcher.StartAsync(peer.Target, cancellationToken);
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();
        var firstWriteAt = firstWrite.WaitAsync(clock, stopWatching.Token);
        await peer.StartAsync(start, cancellationToken);
        TimeSpan caughtUp;
        try
        {
            caughtUp = await CatchUpMarker.WaitAsync(peer, markerTable, clock, TimeSpan.FromMinutes(30), cancellationToken);
        }
        finally
        {
            await stopWatching.CancelAsync();
        }
        var applyingFrom = await firstWriteAt.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : (TimeSpan?)null, TaskScheduler.Default);
        var statements = (await TargetStatementCounts.ReadAsync(peer.Target, cancellationToken)).Since(statementsBefore);
        var cpuSpent = processes.Select((p, i) => ProcessCpu.Seconds(p.Pid) - cpuBefore[i]).ToList();
        var cpu = processes.Select((p, i) => cpuSpent[i] is { } s ? $"{p.Label} {s:F1} s" : $"{p.Label} ?");
        // The peer's own view of its position, for the record; the marker is the finish line.
        var reported = await CatchUpMarker.WaitForReportedPositionAsync(peer, end, clock, TimeSpan.FromSeconds(60), cancellationToken);
        var rowsPerSecond = backlog.RowChanges / caughtUp.TotalSeconds;
        Console.WriteLine($"{peer.Name}: caught up in {caughtUp.TotalSeconds:F2} s = {rowsPerSecond:F0} rows/s, "
            + $"{backlog.Transactions / caughtUp.TotalSeconds:F0} transactions/s; "
            + (applyingFrom is { } a ? $"first row applied at {a.TotalSeconds:F2} s ({backlog.RowChanges / (caughtUp - a).TotalSeconds:F0} rows/s from there); " : "")
            + $"CPU {string.Join(", ", cpu)}; "
            + (reported is { } r ? $"its status reported {end} at {r.TotalSeconds:F2} s" : $"its status did not report {end} within 60 s more"));
        Console.WriteLine($"{peer.Name}: statements on its target (the marker's poll included): {(statements.Length > 0 ? statements : "none")}");
        Console.WriteLine($"{peer.Name}: {await TargetVerifier.AssertSameAsync(upstream, peer, cancellationToken)} tables identical to the upstream");
        return (rowsPerSecond, cpuSpent.All(s => s.HasValue) ? cpuSpent.Sum() : null);
    }
}
