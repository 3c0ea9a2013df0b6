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
public sealed record DumpExtraArgs(ConsistencyMode Consistency, long? Rows)
{
    /// <summary>Accepts <c>--consistency X</c> and <c>-r/--rows N</c>; anything else is a clear error, not silently ignored.</summary>
    public static DumpExtraArgs Parse(string extraArgs)
    {
        var consistency = ConsistencyMode.Auto;
        long? rows = null;
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
                default:
                    throw DmErrors.ErrDumpUnitRuntime.New($"extra-args option '{flag}' is not supported (supported: --consistency, -r/--rows)");
            }
        }
        return new DumpExtraArgs(consistency, rows);
    }
}
