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
string[]? compare = null;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--rounds") rounds = int.Parse(args[++i]);
    else if (args[i] == "--mode") mode = args[++i];
    else if (args[i] == "--compare") compare = args[++i].Split(',');
    else files.Add(args[i]);
}

// Pin to one core: the goal is single-core decode speed.
if (OperatingSystem.IsLinux()) Process.GetCurrentProcess().ProcessorAffinity = 1;

var totalBytes = files.Sum(f => new FileInfo(f).Length);
if (compare != null)
{
    // A/B on a shared machine: the modes take turns round by round, so that both meet the same load; best CPU of each.
    var bestOf = new Dictionary<string, Result>();
    for (var round = 0; round < rounds; round++)
        foreach (var each in compare)
        {
            var result = Decode(files, each);
            if (!bestOf.TryGetValue(each, out var known) || result.CpuSeconds < known.CpuSeconds) bestOf[each] = result;
        }
    foreach (var (each, result) in bestOf)
        Console.WriteLine($"{each}: best {result.CpuSeconds:F3} s CPU ({result.CpuSeconds - result.SystemSeconds:F3} user), checksum {result.Checksum:X16}");
    return 0;
}
Result best = default;
for (var round = 0; round < rounds; round++)
{
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var collections = GC.CollectionCount(0);
    var result = Decode(files, mode);
    Console.Error.WriteLine($"round {round + 1}: {result.Seconds:F3} s wall, {result.CpuSeconds:F3} s CPU ({result.SystemSeconds:F3} s system), " +
        $"{(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6:F1} MB allocated, {GC.CollectionCount(0) - collections} GCs");
    if (round == 0 || result.CpuSeconds < best.CpuSeconds) best = result;
}
Console.WriteLine($"dm_bytes={totalBytes}");
Console.WriteLine($"dm_wide_crc={System.Runtime.Intrinsics.X86.Pclmulqdq.V512.IsSupported}");
Console.WriteLine($"dm_row_event_bytes={best.RowEventBytes}");
Console.WriteLine($"dm_events={best.Events}");
Console.WriteLine($"dm_rows={best.Rows}");
Console.WriteLine($"dm_values={best.Values}");
Console.WriteLine($"dm_checksum={best.Checksum:X16}");
Console.WriteLine($"dm_seconds={best.Seconds:F4}");
Console.WriteLine($"dm_cpu_seconds={best.CpuSeconds:F4}");
return 0;

// Modes: "events" decodes events only, "rows" also locates every column of every row, "values" also
// decodes every value with the allocation-free path (RowsEvent.ReadRows, ColumnValue) and folds it into
// a checksum (the default), "objects" decodes every value to its .NET object (RowsEvent.Rows, GetValue).
static Result Decode(List<string> files, string mode)
{
    long events = 0, rows = 0, values = 0, rowBytes = 0;
    ulong checksum = 0;
    Span<int> scratch = stackalloc int[1024];
    var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
    var systemStart = Process.GetCurrentProcess().PrivilegedProcessorTime;
    var stopwatch = Stopwatch.StartNew();
    if (mode == "floor")
    {
        // The floor under any decoder that checks every CRC: one CRC-32 pass over each whole mapped file.
        foreach (var file in files)
        {
            using var scanner = new BinlogFileScanner(file);
            scanner.Read(out var first);
            checksum ^= Crc32.Compute(first.Bytes);
            unsafe
            {
                fixed (byte* start = first.Bytes)
                    checksum ^= Crc32.Compute(new ReadOnlySpan<byte>(start - 4, (int)new FileInfo(file).Length));
            }
        }
        return new Result(events, rows, values, rowBytes, checksum, stopwatch.Elapsed.TotalSeconds,
            (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds, (Process.GetCurrentProcess().PrivilegedProcessorTime - systemStart).TotalSeconds);
    }
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
        return new Result(events, rows, values, rowBytes, checksum, stopwatch.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds, 0);
    }
    // "views" reads the allocation-free way (BinlogFileScanner: no object per event); "views-frame" stops
    // after framing and checking each event, "views-locate" after locating every column of every row: the
    // differences are the per-part breakdown.
    if (mode.StartsWith("views", StringComparison.Ordinal))
    {
        var stage = mode == "views-frame" ? 0 : mode == "views-locate" ? 1 : 2;
        var mapped = Environment.GetEnvironmentVariable("BENCH_READ") != "chunks" && mode != "views-chunks";
        foreach (var file in files)
        {
            using var scanner = new BinlogFileScanner(file, memoryMapped: mapped);
            scanner.Decoder.VerifyChecksum = Environment.GetEnvironmentVariable("BENCH_NO_CRC") != "1";
            while (scanner.Read(out var ev))
            {
                events++;
                if (stage == 0) continue;
                switch (ev.EventType)
                {
                    case BinlogEventType.TableMap:
                        break; // checked against (or parsed into) the decoder's map for its table id by Read
                    case BinlogEventType.MariaDbGtid:
                        ev.TryGetMariaDbGtid(out var gtid, out var flags);
                        checksum = checksum * 0x100000001B3UL ^ gtid.Sequence ^ (ulong)gtid.DomainId << 32 ^ flags;
                        break;
                    case BinlogEventType.MariaDbAnnotateRows:
                        ev.TryGetAnnotateRows(out var query); // the statement's text, folded as text values are
                        checksum = checksum * 0x100000001B3UL ^ FoldText(query);
                        break;
                    case BinlogEventType.Xid:
                        ev.TryGetXid(out var xid);
                        checksum = checksum * 0x100000001B3UL ^ xid;
                        break;
                    default:
                        if (!ev.IsRows)
                        {
                            // The rare others (QUERY, ROTATE, GTID_LIST, ...): decoded to their objects.
                            checksum = checksum * 0x100000001B3UL ^ (ulong)ev.ToEvent().EventType;
                            break;
                        }
                        rowBytes += ev.Header.EventSize;
                        var rowsEvent = ev.AsRows();
                        var rowReader = rowsEvent.ReadRows(rowsEvent.ColumnCount <= 512 ? scratch : default);
                        while (rowReader.MoveNext())
                        {
                            rows++;
                            if (stage == 2) values += Fold(rowReader.Before, ref checksum) + Fold(rowReader.After, ref checksum);
                        }
                        break;
                }
            }
        }
        var viewWall = stopwatch.Elapsed.TotalSeconds;
        var viewCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
        return new Result(events, rows, values, rowBytes, checksum, viewWall, viewCpu, (Process.GetCurrentProcess().PrivilegedProcessorTime - systemStart).TotalSeconds);
    }
    foreach (var file in files)
    {
        using var reader = new BinlogFileReader(file);
        reader.Decoder.VerifyChecksum = Environment.GetEnvironmentVariable("BENCH_NO_CRC") != "1";
        reader.MemoryMapped = Environment.GetEnvironmentVariable("BENCH_READ") != "chunks";
        foreach (var ev in reader.ReadEvents())
        {
            events++;
            if (ev is not RowsEvent rowsEvent)
            {
                // The same fields the views mode folds, so that both print the same checksum.
                if (mode == "values") checksum = ev switch
                {
                    TableMapEvent => checksum,
                    MariaDbGtidEvent g => checksum * 0x100000001B3UL ^ g.Gtid.Sequence ^ (ulong)g.Gtid.DomainId << 32 ^ g.Flags,
                    XidEvent x => checksum * 0x100000001B3UL ^ x.Xid,
                    AnnotateRowsEvent a => checksum * 0x100000001B3UL ^ FoldText(a.Utf8Query.Span),
                    _ => checksum * 0x100000001B3UL ^ (ulong)ev.EventType,
                };
                continue;
            }
            rowBytes += ev.Header.EventSize;
            if (mode == "events") continue;
            if (mode == "rows")
            {
                rows += rowsEvent.CountRows();
                continue;
            }
            if (mode == "objects")
            {
                foreach (var change in rowsEvent.Rows)
                {
                    rows++;
                    values += Touch(change.Before) + Touch(change.After);
                }
                continue;
            }
            var rowReader = rowsEvent.ReadRows(rowsEvent.ColumnCount <= 512 ? scratch : default);
            while (rowReader.MoveNext())
            {
                rows++;
                values += Fold(rowReader.Before, ref checksum) + Fold(rowReader.After, ref checksum);
            }
        }
    }
    var wall = stopwatch.Elapsed.TotalSeconds;
    var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
    var system = (Process.GetCurrentProcess().PrivilegedProcessorTime - systemStart).TotalSeconds;
    return new Result(events, rows, values, rowBytes, checksum, wall, cpu, system);
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

// Decodes every present column with the allocation-free path and folds the typed value into the checksum:
// numbers and temporal fields whole; text/binary by length and their first and last bytes (reading the
// span, as a consumer writing it out would, without hashing every byte).
static int Fold(Dm.Binlog.Rows.RowImageView image, ref ulong checksum)
{
    if (!image.Exists) return 0;
    var n = 0;
    for (var i = 0; i < image.ColumnCount; i++)
    {
        if (!image.IsPresent(i)) continue;
        image.Read(i, out var value);
        checksum = checksum * 0x100000001B3UL ^ FoldValue(value);
        n++;
    }
    return n;
}

static ulong FoldValue(in Dm.Binlog.Rows.ColumnValue value)
{
    switch (value.Kind)
    {
        case Dm.Binlog.Rows.ColumnValueKind.Null: return 0x9E3779B97F4A7C15UL;
        case Dm.Binlog.Rows.ColumnValueKind.Int64 or Dm.Binlog.Rows.ColumnValueKind.Enum: return (ulong)value.Int64;
        case Dm.Binlog.Rows.ColumnValueKind.UInt64 or Dm.Binlog.Rows.ColumnValueKind.Set: return value.UInt64;
        case Dm.Binlog.Rows.ColumnValueKind.Single: return (ulong)BitConverter.SingleToInt32Bits(value.Single);
        case Dm.Binlog.Rows.ColumnValueKind.Double: return (ulong)BitConverter.DoubleToInt64Bits(value.Double);
        case Dm.Binlog.Rows.ColumnValueKind.Decimal:
        {
            if (value.TryGetDecimalUnscaled(out var unscaled)) return (ulong)unscaled ^ (ulong)(unscaled >> 64);
            Span<char> text = stackalloc char[Dm.Binlog.Rows.PackedDecimal.MaxTextLength];
            var length = value.FormatDecimal(text);
            return (ulong)length ^ text[length - 1];
        }
        case Dm.Binlog.Rows.ColumnValueKind.DateTime:
        {
            var t = value.DateTime;
            return (ulong)(((((t.Year * 13L + t.Month) * 32 + t.Day) * 24 + t.Hour) * 60 + t.Minute) * 60 + t.Second) << 20 ^ (ulong)t.Microsecond;
        }
        case Dm.Binlog.Rows.ColumnValueKind.Time: return (ulong)value.Time.Ticks;
        default: return FoldText(value.Bytes);
    }
}

// Text and binary by length and their first and last bytes (reading the span, as a consumer writing it out would).
static ulong FoldText(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? 1 : (ulong)bytes.Length << 16 ^ (ulong)bytes[0] << 8 ^ bytes[^1];

internal readonly record struct Result(long Events, long Rows, long Values, long RowEventBytes, ulong Checksum, double Seconds, double CpuSeconds, double SystemSeconds);
