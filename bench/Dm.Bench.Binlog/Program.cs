using System.Diagnostics;
using Dm.Binlog.Events;
using Dm.Binlog.Files;

// Decodes binlog files with Dm.Binlog, as `mariadb-binlog --base64-output=decode-rows -v` does:
// every event, and every column value of every row image. Prints one line per measure for the script.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: Dm.Bench.Binlog <binlog file>... [--rounds N]");
    return 2;
}
var rounds = 3;
var mode = "values";
var files = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--rounds") rounds = int.Parse(args[++i]);
    else if (args[i] == "--mode") mode = args[++i];
    else files.Add(args[i]);
}

// Pin to one core: the goal is single-core decode speed.
if (OperatingSystem.IsLinux()) Process.GetCurrentProcess().ProcessorAffinity = 1;

var totalBytes = files.Sum(f => new FileInfo(f).Length);
Result best = default;
for (var round = 0; round < rounds; round++)
{
    var result = Decode(files, mode);
    Console.Error.WriteLine($"round {round + 1}: {result.Seconds:F3} s wall, {result.CpuSeconds:F3} s CPU");
    if (round == 0 || result.CpuSeconds < best.CpuSeconds) best = result;
}
Console.WriteLine($"dm_bytes={totalBytes}");
Console.WriteLine($"dm_row_event_bytes={best.RowEventBytes}");
Console.WriteLine($"dm_events={best.Events}");
Console.WriteLine($"dm_rows={best.Rows}");
Console.WriteLine($"dm_values={best.Values}");
Console.WriteLine($"dm_seconds={best.Seconds:F4}");
Console.WriteLine($"dm_cpu_seconds={best.CpuSeconds:F4}");
return 0;

// Modes: "events" decodes events only, "rows" also locates every column of every row, "values" also
// decodes every value to its .NET object (the default, what a consumer pays).
static Result Decode(List<string> files, string mode)
{
    long events = 0, rows = 0, values = 0, rowBytes = 0;
    var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
    var stopwatch = Stopwatch.StartNew();
    if (mode == "raw")
    {
        // Decoder alone over an in-memory file: what the file reader adds is the difference to "events".
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            stopwatch.Restart();
            var decoder = new BinlogEventDecoder();
            for (var at = 4; at + 19 <= bytes.Length;)
            {
                var size = BitConverter.ToInt32(bytes, at + 9);
                var ev = decoder.Decode(bytes.AsMemory(at, size), at);
                events++;
                if (ev is RowsEvent) rowBytes += size;
                at += size;
            }
        }
        return new Result(events, rows, values, rowBytes, stopwatch.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds);
    }
    foreach (var file in files)
    {
        var reader = new BinlogFileReader(file);
        reader.Decoder.VerifyChecksum = Environment.GetEnvironmentVariable("BENCH_NO_CRC") != "1";
        foreach (var ev in reader.ReadEvents())
        {
            events++;
            if (ev is not RowsEvent rowsEvent) continue;
            rowBytes += ev.Header.EventSize;
            if (mode == "events") continue;
            if (mode == "rows")
            {
                rows += rowsEvent.CountRows();
                continue;
            }
            foreach (var change in rowsEvent.Rows)
            {
                rows++;
                values += Touch(change.Before) + Touch(change.After);
            }
        }
    }
    var wall = stopwatch.Elapsed.TotalSeconds;
    var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
    return new Result(events, rows, values, rowBytes, wall, cpu);
}

// Decodes every present column to its .NET value, as a consumer would.
static int Touch(Dm.Binlog.Rows.RowImage? image)
{
    if (image == null) return 0;
    var n = 0;
    for (var i = 0; i < image.ColumnCount; i++)
    {
        if (!image.IsPresent(i)) continue;
        _ = image.GetValue(i);
        n++;
    }
    return n;
}

internal readonly record struct Result(long Events, long Rows, long Values, long RowEventBytes, double Seconds, double CpuSeconds);
