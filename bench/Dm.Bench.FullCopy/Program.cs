using System.Diagnostics;
using System.Globalization;
using Dm.Bench.FullCopy;
using Dm.Core.Config;
using Dm.Core.Rules;
using Dm.Core.Upstream;
using Dm.TestKit;
using Dm.Worker.Dump;
using Dm.Worker.Hosting;
using Dm.Worker.Units;
using MySqlConnector;

// Full copy of a sysbench data set: DM# Dump -> Load (streaming) against mydumper + myloader, same threads,
// same servers, one run. Prints times and the ratio; asserts nothing about speed.
var options = BenchOptions.Parse(args);
var serverArgs = new[] { "--innodb-buffer-pool-size=1G", "--innodb-log-file-size=512M", "--innodb-flush-log-at-trx-commit=2", "--max-allowed-packet=64M" };
await using var source = await MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 21, ExtraArguments = serverArgs });
await using var target = await MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 22, LogBin = false, ExtraArguments = serverArgs });
Console.WriteLine($"source {source.Port}, target {target.Port}; sysbench {BenchOptions.Tables} tables x {options.TableSize} rows; {options.Threads} threads");

await source.ExecuteAsync("CREATE DATABASE sbtest");
var prepare = Stopwatch.StartNew();
await ChildProcess.RunAsync("sysbench", [
    "oltp_read_write", "--db-driver=mysql", "--mysql-host=127.0.0.1", $"--mysql-port={source.Port}", "--mysql-user=root",
    $"--mysql-password={source.Password}", "--mysql-db=sbtest", $"--tables={BenchOptions.Tables}", $"--table-size={options.TableSize}",
    $"--threads={Math.Min(options.Threads, BenchOptions.Tables)}", "prepare"], TimeSpan.FromHours(1));
var dataBytes = Convert.ToInt64(await source.ScalarAsync("SELECT SUM(DATA_LENGTH) FROM information_schema.TABLES WHERE TABLE_SCHEMA='sbtest'"), CultureInfo.InvariantCulture);
Console.WriteLine($"prepared in {prepare.Elapsed.TotalSeconds:F1} s, InnoDB data {dataBytes / 1048576} MB");

var cpu = new CpuMeter(CpuMeter.FindServerPid(source.BaseDirectory), CpuMeter.FindServerPid(target.BaseDirectory));
var totalRows = (long)BenchOptions.Tables * options.TableSize;

async Task ResetTargetAsync()
{
    await target.ExecuteAsync("DROP DATABASE IF EXISTS sbtest; DROP DATABASE IF EXISTS dm_meta");
    // Each tool starts on a settled target: the previous run's dirty pages flushed, so neither pays for the other's writes.
    var pct = await target.ScalarAsync("SELECT @@GLOBAL.innodb_max_dirty_pages_pct");
    await target.ExecuteAsync("SET GLOBAL innodb_max_dirty_pages_pct = 0");
    var settle = Stopwatch.StartNew();
    while (settle.Elapsed < TimeSpan.FromSeconds(90) &&
           Convert.ToInt64(await target.ScalarAsync("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'INNODB_BUFFER_POOL_PAGES_DIRTY'"), CultureInfo.InvariantCulture) > 50)
        await Task.Delay(200);
    await target.ExecuteAsync($"SET GLOBAL innodb_max_dirty_pages_pct = {Convert.ToString(pct, CultureInfo.InvariantCulture)}");
    Console.WriteLine($"  target settled in {settle.Elapsed.TotalSeconds:F1} s");
}

async Task VerifyAsync(string who)
{
    await using var s = await source.OpenAsync();
    await using var t = await target.OpenAsync();
    for (var i = 1; i <= BenchOptions.Tables; i++)
    {
        var sql = $"CHECKSUM TABLE sbtest.sbtest{i}";
        await using var a = new MySqlCommand(sql, s);
        await using var b = new MySqlCommand(sql, t);
        var (x, y) = (await ChecksumAsync(a), await ChecksumAsync(b));
        if (x != y)
            throw new InvalidOperationException($"{who}: sbtest{i} differs after the copy ({x} vs {y})");
    }
}

static async Task<string> ChecksumAsync(MySqlCommand command)
{
    await using var reader = await command.ExecuteReaderAsync();
    await reader.ReadAsync();
    return Convert.ToString(reader.GetValue(1), CultureInfo.InvariantCulture) ?? "";
}

async Task<(TimeSpan Wall, CpuMeter.Sample Cpu)> RunDmAsync(bool streaming)
{
    await ResetTargetAsync();
    var dir = Path.Combine(Path.GetTempPath(), "dm-bench-" + Guid.NewGuid().ToString("N"));
    var config = new SubTaskConfig
    {
        Name = "bench", Mode = TaskModes.Full, SourceId = "bench-source",
        BlockAllowList = new BlockAllowListRules { DoDbs = ["sbtest"] },
        Mydumper = new MydumperConfig { Threads = options.Threads, StatementSize = options.StatementSize, ExtraArgs = options.ExtraArgs },
        Loader = new LoaderConfig { PoolSize = options.Threads, Dir = dir, OnDuplicateLogical = options.OnDuplicate },
    };
    // The worker's switches as a dm-worker started now would take them from the environment (--also-env sets it per run).
    var switches = WorkerCommandLine.FromEnvironment(new WorkerOptions(), Environment.GetEnvironmentVariable);
    var context = new FullCopyContext(config,
        new DatabaseEndpoint(source.Host, source.Port, source.User, source.Password),
        new DatabaseEndpoint(target.Host, target.Port, target.User, target.Password))
    {
        DumpFiles = new DumpFileRegistry(), Streaming = streaming, StreamCsv = switches.StreamCsv, DeferIndexes = switches.DeferIndexes,
    };
    var clock = Stopwatch.StartNew();
    var cpuBefore = cpu.Now();
    var (dump, load) = FullCopyUnits.Create(context);
    foreach (IUnit unit in new IUnit[] { dump, load })
    {
        var unitClock = Stopwatch.StartNew();
        await unit.InitAsync(CancellationToken.None);
        var result = await unit.ProcessAsync(CancellationToken.None);
        if (result.Outcome != UnitOutcome.Finished)
            throw new InvalidOperationException($"{unit.Name}: {result.Outcome} {result.Error?.Message}");
        Console.WriteLine($"  {(streaming && options.ExtraArgs.Length == 0 ? "streaming" : "files")} {unit.Name}: {unitClock.Elapsed.TotalSeconds:F1} s");
    }
    clock.Stop();
    var used = cpu.Now() - cpuBefore;
    Console.WriteLine($"  DM# {used.Describe(totalRows)}");
    await VerifyAsync("DM#");
    return (clock.Elapsed, used);
}

async Task<(TimeSpan Dump, TimeSpan Load, CpuMeter.Sample Cpu)> RunMydumperAsync()
{
    await ResetTargetAsync();
    var dir = Path.Combine(Path.GetTempPath(), "mydumper-bench-" + Guid.NewGuid().ToString("N"));
    var clock = Stopwatch.StartNew();
    var cpuBefore = cpu.Now();
    // Same chunking as DM# (100k-row key ranges) and the same thread count.
    await ChildProcess.RunAsync("mydumper", ["-h", "127.0.0.1", "-P", source.Port.ToString(CultureInfo.InvariantCulture), "-u", "root",
        "-p", source.Password, "-B", "sbtest", "-t", options.Threads.ToString(CultureInfo.InvariantCulture), "-r", "100000", "-o", dir, "-v", "1"], TimeSpan.FromHours(1));
    var dumpTime = clock.Elapsed;
    clock.Restart();
    await ChildProcess.RunAsync("myloader", ["-h", "127.0.0.1", "-P", target.Port.ToString(CultureInfo.InvariantCulture), "-u", "root",
        "-p", target.Password, "-d", dir, "-t", options.Threads.ToString(CultureInfo.InvariantCulture), "-v", "1"], TimeSpan.FromHours(1));
    var loadTime = clock.Elapsed;
    var used = cpu.Now() - cpuBefore;
    Console.WriteLine($"  mydumper+myloader {used.Describe(totalRows)}");
    Directory.Delete(dir, recursive: true);
    await VerifyAsync("mydumper+myloader");
    return (dumpTime, loadTime, used);
}

if (options.WarmUp)
{
    // Opt-in: a long-running dm-worker's later tasks run JIT-warm code. By default the timed copy is the process's
    // first, as a user's first task is.
    Console.WriteLine("warm-up copy (not compared):");
    await RunDmAsync(streaming: true);
}
var (dm, dmCpu) = await RunDmAsync(streaming: true);
Console.WriteLine($"DM# Dump+Load (streaming):   {dm.TotalSeconds,8:F1} s");
if (options.AlsoFileMode)
{
    var (dmFiles, _) = await RunDmAsync(streaming: false);
    Console.WriteLine($"DM# Dump+Load (files):       {dmFiles.TotalSeconds,8:F1} s");
}
foreach (var variant in options.AlsoEnv)
{
    var settings = variant.Split(',').Select(kv => kv.Split('=', 2)).ToList();
    foreach (var kv in settings) Environment.SetEnvironmentVariable(kv[0], kv[1]);
    Console.WriteLine($"DM# with {variant}:");
    var (variantTime, _) = await RunDmAsync(streaming: true);
    Console.WriteLine($"DM# Dump+Load ({variant}): {variantTime.TotalSeconds,8:F1} s");
    foreach (var kv in settings) Environment.SetEnvironmentVariable(kv[0], null);
}
var (myDump, myLoad, peerCpu) = await RunMydumperAsync();
var peer = myDump + myLoad;
Console.WriteLine($"mydumper + myloader:         {peer.TotalSeconds,8:F1} s (dump {myDump.TotalSeconds:F1} s, load {myLoad.TotalSeconds:F1} s)");
Console.WriteLine($"ratio DM# / mydumper+myloader: {dm.TotalSeconds / peer.TotalSeconds:F2} wall time");
static double Total(CpuMeter.Sample s) => s.Self + s.Children + s.Source + s.Target;
Console.WriteLine($"ratio DM# / mydumper+myloader: {Total(dmCpu) / Total(peerCpu):F2} CPU time (client + both servers)");
// Timings on a shared machine mean little without its load.
if (File.Exists("/proc/loadavg"))
    Console.WriteLine($"load average at end: {File.ReadAllText("/proc/loadavg").Trim()} on {Environment.ProcessorCount} cores");
