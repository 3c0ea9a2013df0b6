using System.Diagnostics;
using Dm.Bench.Sync;
using Dm.TestKit;

// Incremental catch-up: the same sysbench oltp_write_only binlog backlog, from the same position, applied by a
// MariaDB replica with slave_parallel_threads = T and by DM# (incremental task, repl_threads = T), one after the
// other in one run, for --rounds rounds from the same state; rows/s of each and the ratio per round and its median.
// Then replication lag p50/p99 of both under a steady load, and a checksum of every table of both targets against the upstream. Prints figures; asserts nothing about speed.
// Exits 1 when a peer failed or a target differs from the upstream.
var options = BenchOptions.Parse(args);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var ct = cancel.Token;

string[] serverArgs = ["--innodb-buffer-pool-size=512M", "--innodb-log-file-size=256M", "--max-allowed-packet=64M"];
var starting = new List<Task<MariaDbServer>>
{
    MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 31, ExtraArguments = [.. serverArgs, "--binlog-row-metadata=FULL", "--binlog-row-image=FULL"] }, ct),
    // Targets without a binlog of their own: neither peer needs one to apply.
    MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 32, LogBin = false, ExtraArguments = serverArgs }, ct),
    MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 33, LogBin = false, ExtraArguments = serverArgs }, ct),
    MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 34, LogBin = false, ExtraArguments = serverArgs }, ct),
};
await using var upstream = await starting[0];
await using var replicaTarget = await starting[1];
await using var dmTarget = await starting[2];
await using var relayTarget = await starting[3];
var withRelay = !options.SkipDm && !options.SkipRelay;
Console.WriteLine($"upstream {upstream.Port}, replica {replicaTarget.Port}, DM# target {dmTarget.Port}; "
    + $"sysbench oltp_write_only {options.Tables} tables x {options.TableSize} rows, {options.Events} transactions on {options.SysbenchThreads} threads; "
    + $"apply threads {options.Threads}");

var sysbench = new Sysbench(upstream, options);
var clock = Stopwatch.StartNew();
await sysbench.PrepareAsync(ct);
var targets = new List<MariaDbServer>();
if (!options.SkipReplica) targets.Add(replicaTarget);
if (!options.SkipDm) targets.Add(dmTarget);
if (withRelay) targets.Add(relayTarget);
await PreparedDataCopy.CopyAsync(upstream, targets, ct);
// Every round starts from these tables, restored the same way each time (round 1 included).
foreach (var target in targets) await TargetReset.KeepPreparedAsync(target, ct);
Console.WriteLine($"prepared and copied to the targets in {clock.Elapsed.TotalSeconds:F1} s");

var peers = new List<IReplicationPeer>();
if (!options.SkipReplica)
{
    var replica = new ReplicaPeer(upstream, replicaTarget, options);
    await replica.ConfigureAsync(ct);
    peers.Add(replica);
}
await using var dm = options.SkipDm ? null : await DmPeer.StartAsync(upstream, dmTarget, options, ct);
if (dm != null) peers.Add(dm);
// The relay variant: relay on from before the backlog, so its worker pulls the backlog as it is written.
await using var dmRelay = withRelay ? await DmPeer.StartAsync(upstream, relayTarget, options, ct, relay: true) : null;
if (dmRelay != null) peers.Add(dmRelay);

// The backlog: everything between `start` and the marker, written before either peer starts.
var start = await BinlogCoordinates.ReadMasterStatusAsync(upstream, ct);
clock.Restart();
var upstreamTps = await sysbench.RunEventsAsync(options.Events, ct);
var marker = new CatchUpMarker(upstream);
var (markerTable, end) = await marker.PlaceAsync(ct);
// Closed files only: Dm.Binlog rejects the FORMAT_DESCRIPTION of a binlog still open (its in-use flag is not masked for the CRC).
await upstream.ExecuteAsync("FLUSH BINARY LOGS", ct);
var backlog = BinlogBacklog.Count(upstream.BinlogDirectory, start, end);
Console.WriteLine($"backlog {start} .. {end}: {backlog.RowChanges} row changes in {backlog.Transactions} transactions, "
    + $"{backlog.Bytes / 1048576.0:F1} MiB of binlog; written in {clock.Elapsed.TotalSeconds:F1} s ({upstreamTps:F0} tps upstream)");
if (dmRelay != null) await dmRelay.WaitRelayHoldsAsync(end, ct);

// Rounds: the machine's own speed drifts between runs (the same target work took 4.9-6.0 CPU s in consecutive runs), so
// each round runs both peers back to back, alternating which goes first, and the ratio is the median of the rounds'.
// Round 1 meets freshly started dm-master/dm-worker processes (their JIT warm-up included, as after a worker restart);
// later rounds reuse them with a new task, as a long-running worker takes one: the output names which is which.
var ratios = new List<double>();
var cpuRatios = new List<double>();
var relayRatios = new List<double>();
var failed = new List<IReplicationPeer>();
for (var round = 1; round <= options.Rounds && failed.Count == 0; round++)
{
    if (round > 1)
        foreach (var peer in peers) await peer.StopAsync(ct);
    foreach (var target in targets) await TargetReset.RestoreAsync(target, ct);
    // Written out before anyone is timed: otherwise the first peer's round pays for the restore's page flushing.
    foreach (var server in targets.Append(upstream)) await TargetReset.FlushDirtyPagesAsync(server, ct);
    if (options.Rounds > 1) Console.WriteLine($"--- round {round} of {options.Rounds}");
    var order = round % 2 == 1 ? peers : Enumerable.Reverse(peers).ToList();
    var results = new Dictionary<IReplicationPeer, (double RowsPerSecond, double? CpuSeconds)>();
    foreach (var peer in order)
    {
        try
        {
            results[peer] = await CatchUpRun.MeasureAsync(peer, upstream, start, markerTable, end, backlog, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Console.WriteLine($"{peer.Name}: FAILED: {e.Message}");
            failed.Add(peer);
        }
    }
    // Sync reading the relay log beside Sync reading the upstream: the same task, the same backlog.
    if (dm != null && dmRelay != null && results.TryGetValue(dm, out var remote) && results.TryGetValue(dmRelay, out var local))
    {
        relayRatios.Add(local.RowsPerSecond / remote.RowsPerSecond);
        Console.WriteLine($"ratio DM# Sync from relay / from the upstream (rows/s){(options.Rounds > 1 ? $", round {round}" : "")}: {relayRatios[^1]:F2}"
            + (local.CpuSeconds is { } lc && remote.CpuSeconds is { } rc ? $"; CPU relay {lc:F1} s, upstream {rc:F1} s" : ""));
    }
    if (options.SkipReplica || dm == null || !results.ContainsKey(peers[0]) || !results.ContainsKey(dm)) continue;
    var (replica, dmResult) = (results[peers[0]], results[dm]);
    ratios.Add(dmResult.RowsPerSecond / replica.RowsPerSecond);
    Console.WriteLine($"ratio DM# / MariaDB replica (rows/s){(options.Rounds > 1 ? $", round {round}" : "")}: {ratios[^1]:F2}");
    // On a shared machine wall time depends on what else runs; CPU spent per row does much less.
    if (replica.CpuSeconds is { } replicaCpu && dmResult.CpuSeconds is { } dmCpu)
    {
        cpuRatios.Add(replicaCpu / dmCpu);
        Console.WriteLine($"CPU for the backlog (applier processes + target server): replica {replicaCpu:F1} s, DM# {dmCpu:F1} s; "
            + $"rows per CPU second ratio DM# / replica: {cpuRatios[^1]:F2}");
    }
}
if (relayRatios.Count > 0)
    Console.WriteLine($"ratio DM# Sync from relay / from the upstream (rows/s), median of {relayRatios.Count} round(s): {Median(relayRatios):F2} (goal >= 1.0); "
        + $"per round {string.Join(", ", relayRatios.Select(r => r.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))}");
if (ratios.Count > 0)
{
    Console.WriteLine($"ratio DM# / MariaDB replica (rows/s), median of {ratios.Count} round(s): {Median(ratios):F2} (goal >= 1.0); "
        + $"per round {string.Join(", ", ratios.Select(r => r.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))}"
        + (ratios.Count > 1 ? " (the first with freshly started DM# processes, the others with the same processes warm)" : ""));
    if (cpuRatios.Count > 0)
        Console.WriteLine($"rows per CPU second ratio DM# / replica, median: {Median(cpuRatios):F2}; "
            + $"per round {string.Join(", ", cpuRatios.Select(r => r.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))}");
}

var healthy = peers.Except(failed).ToList();
if (options.LagSeconds > 0 && healthy.Count > 0)
{
    await LagPhase.RunAsync(upstream, healthy, sysbench, marker, options, ct);
    // Both must end identical to the upstream after the load as well.
    var (final, _) = await marker.PlaceAsync(ct);
    foreach (var peer in healthy)
    {
        try
        {
            await CatchUpMarker.WaitAsync(peer, final, Stopwatch.StartNew(), TimeSpan.FromMinutes(10), ct);
            Console.WriteLine($"{peer.Name}: after the lag phase {await TargetVerifier.AssertSameAsync(upstream, peer, ct)} tables identical to the upstream");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Console.WriteLine($"{peer.Name}: FAILED after the lag phase: {e.Message}");
            failed.Add(peer);
        }
    }
}

// Timings on a shared machine mean little without its load.
if (File.Exists("/proc/loadavg"))
    Console.WriteLine($"load average at end: {File.ReadAllText("/proc/loadavg").Trim()} on {Environment.ProcessorCount} cores");
return failed.Count == 0 ? 0 : 1;

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
