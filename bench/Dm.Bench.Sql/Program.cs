using System.Diagnostics;
using Dm.Sql.Ast;
using Dm.Sql.Parsing;
using Dm.Sql.Printing;

// Parses (and prints) the DDL corpus on one thread and reports statements per second.
// Usage: Dm.Bench.Sql [corpus-dir] [seconds-per-measure]
var corpus = args.Length > 0 ? args[0] : FindCorpus();
var seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3.0;

var statements = Directory.GetFiles(corpus, "*.sql").Order(StringComparer.Ordinal)
    .SelectMany(f => SqlParser.SplitStatements(File.ReadAllText(f)))
    .ToArray();
var ddl = statements.Where(s => SqlParser.Parse(s) is not PassThroughStatement).ToArray();
var bytes = ddl.Sum(s => s.Length);
Console.WriteLine($"corpus: {corpus}");
Console.WriteLine($"{statements.Length} statements, {ddl.Length} DDL statements, average {bytes / ddl.Length} characters");

Measure("parse DDL", ddl, s => SqlParser.Parse(s));
Measure("parse + print DDL", ddl, s => SqlPrinter.Print(SqlParser.Parse(s)));
Measure("parse all statements", statements, s => SqlParser.Parse(s));

void Measure(string name, string[] items, Func<string, object> work)
{
    // warm up so the JIT's tiered compilation has settled
    var warm = Stopwatch.StartNew();
    while (warm.Elapsed.TotalSeconds < Math.Min(1.0, seconds / 2))
        foreach (var item in items) work(item);

    GC.Collect();
    var count = 0L;
    var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
    var process = Process.GetCurrentProcess();
    var cpuBefore = process.TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    while (watch.Elapsed.TotalSeconds < seconds)
    {
        foreach (var item in items) work(item);
        count += items.Length;
    }
    watch.Stop();
    process.Refresh();
    var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
    var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
    var perSecond = count / watch.Elapsed.TotalSeconds;
    // per CPU-second as well: on a shared machine the wall clock includes time other processes ran
    var perCpuSecond = count / Math.Max(cpu, 1e-9);
    Console.WriteLine($"{name,-24} {perSecond,12:N0} statements/s wall, {perCpuSecond,12:N0} statements per CPU-second  ({1e6 / perCpuSecond:F2} µs CPU each, {allocated / count:N0} bytes allocated each)");
}

static string FindCorpus()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
    {
        var candidate = Path.Combine(dir.FullName, "tests", "Dm.Sql.Tests", "Corpus");
        if (Directory.Exists(candidate)) return candidate;
    }
    throw new DirectoryNotFoundException("corpus not found; pass its directory as the first argument");
}
