using Dm.Core.Errors;

namespace Dm.Worker.Dump;

/// <summary>Dumpling's <c>--consistency</c>: how all dump connections see one point in time.</summary>
public enum ConsistencyMode
{
    /// <summary>FLUSH TABLES WITH READ LOCK on MySQL/MariaDB.</summary>
    Auto,
    /// <summary>FTWRL held only while the snapshot transactions open and the binlog position is read.</summary>
    Flush,
    /// <summary>LOCK TABLES ... READ on the dumped tables instead of a global lock.</summary>
    Lock,
    /// <summary>Dumpling supports this on TiDB only; rejected here for MySQL/MariaDB.</summary>
    Snapshot,
    /// <summary>No lock: each connection's snapshot starts at a slightly different time.</summary>
    None,
}

/// <summary>Reads the dump options DM passes in <c>mydumpers.extra-args</c>.</summary>
/// <param name="Csv">Null for SQL files (dumpling's default <c>--filetype sql</c>), else the CSV dialect.</param>
public sealed record DumpExtraArgs(ConsistencyMode Consistency, long? Rows, CsvFormat? Csv = null)
{
    public const string Supported = "--consistency, -r/--rows, --filetype, --csv-separator, --csv-delimiter, --csv-null-value '\\N'";

    /// <summary>
    /// Accepts <c>--consistency X</c>, <c>-r/--rows N</c>, <c>--filetype sql|csv</c> and the CSV dialect options;
    /// anything else is a clear error, not silently ignored.
    /// </summary>
    public static DumpExtraArgs Parse(string extraArgs)
    {
        var consistency = ConsistencyMode.Auto;
        long? rows = null;
        var fileType = "sql";
        var csv = CsvFormat.Default;
        var parts = extraArgs.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var (flag, value) = parts[i].Contains('=') ? (parts[i][..parts[i].IndexOf('=')], parts[i][(parts[i].IndexOf('=') + 1)..])
                : (parts[i], i + 1 < parts.Length ? parts[++i] : "");
            switch (flag)
            {
                case "--consistency":
                    consistency = value switch
                    {
                        "auto" => ConsistencyMode.Auto,
                        "flush" => ConsistencyMode.Flush,
                        "lock" => ConsistencyMode.Lock,
                        "snapshot" => ConsistencyMode.Snapshot,
                        "none" => ConsistencyMode.None,
                        _ => throw DmErrors.ErrDumpUnitRuntime.New($"invalid --consistency '{value}' in extra-args (auto, flush, lock, snapshot, none)"),
                    };
                    break;
                case "-r" or "--rows":
                    rows = long.TryParse(value, out var r) && r > 0 ? r
                        : throw DmErrors.ErrDumpUnitRuntime.New($"invalid {flag} '{value}' in extra-args");
                    break;
                case "--filetype":
                    fileType = value is "sql" or "csv" ? value
                        : throw DmErrors.ErrDumpUnitRuntime.New($"invalid --filetype '{value}' in extra-args (sql, csv)");
                    break;
                case "--csv-separator":
                    csv = csv with { Separator = Unquote(value) };
                    break;
                case "--csv-delimiter":
                    csv = csv with { Delimiter = Unquote(value) };
                    break;
                case "--csv-null-value":
                    if (Unquote(value) != CsvFormat.NullValue)
                        throw DmErrors.ErrDumpUnitRuntime.New($"--csv-null-value '{value}' is not supported (only \\N, which LOAD DATA reads as NULL)");
                    break;
                default:
                    throw DmErrors.ErrDumpUnitRuntime.New($"extra-args option '{flag}' is not supported (supported: {Supported})");
            }
        }
        return new DumpExtraArgs(consistency, rows, fileType == "csv" ? csv.Validated() : null);
    }

    /// <summary>Whether the args ask for CSV files, without failing on bad args (those fail later, in the Dump unit's init).</summary>
    public static bool AsksForCsv(string extraArgs)
    {
        try { return Parse(extraArgs).Csv is not null; }
        catch (DmException) { return false; }
    }

    /// <summary>Shell-style quotes around a value (<c>'|'</c>, <c>"\t"</c>) are not part of it.</summary>
    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '\'' || value[0] == '"') && value[^1] == value[0] ? value[1..^1] : value;
}
