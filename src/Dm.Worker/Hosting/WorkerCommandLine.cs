using Dm.Core.CommandLine;
using Dm.Core.Tls;

namespace Dm.Worker.Hosting;

/// <summary>
/// dm-worker's flags and TOML keys, with DM's names. <c>DM_STREAM_CSV</c> and <c>DM_DEFER_INDEXES</c> in the environment,
/// read here once at start, change the defaults of <c>stream-csv</c> and <c>defer-indexes</c>; the config file's keys
/// and the flags win over them.
/// </summary>
public static class WorkerCommandLine
{
    public const string StreamCsvVariable = "DM_STREAM_CSV";
    public const string DeferIndexesVariable = "DM_DEFER_INDEXES";

    private static readonly ProcessSettings<WorkerOptions> Settings = new(
        new Dictionary<string, Func<WorkerOptions, string, WorkerOptions>>(StringComparer.Ordinal)
        {
            ["name"] = (o, v) => o with { Name = v },
            ["worker-addr"] = (o, v) => o with { WorkerAddr = v },
            ["advertise-addr"] = (o, v) => o with { AdvertiseAddr = v },
            ["join"] = (o, v) => o with { Join = v },
            ["keepalive-ttl"] = (o, v) => o with { KeepAliveTtl = ProcessSettings<WorkerOptions>.ParseDuration("keepalive-ttl", v) },
            ["relay-keepalive-ttl"] = (o, v) => o with { RelayKeepAliveTtl = ProcessSettings<WorkerOptions>.ParseDuration("relay-keepalive-ttl", v) },
            ["relay-dir"] = (o, v) => o with { RelayDir = v },
            ["log-level"] = (o, v) => o with { LogLevel = v },
            ["L"] = (o, v) => o with { LogLevel = v },
            ["log-file"] = (o, v) => o with { LogFile = v },
            ["stream-csv"] = (o, v) => o with { StreamCsv = ProcessSettings<WorkerOptions>.ParseBool("stream-csv", v) },
            ["defer-indexes"] = (o, v) => o with { DeferIndexes = ProcessSettings<WorkerOptions>.ParseBool("defer-indexes", v) },
            ["join-secret-file"] = (o, v) => o with { JoinSecretFile = v.Length == 0 ? null : v },
            ["join-secret"] = (o, v) => o with { JoinSecret = v.Length == 0 ? null : v },
            ["session-file"] = (o, v) => o with { SessionFile = v.Length == 0 ? null : v },
            ["ssl-ca"] = (o, v) => o with { Tls = o.Tls with { SslCa = v } },
            ["ssl-cert"] = (o, v) => o with { Tls = o.Tls with { SslCert = v } },
            ["ssl-key"] = (o, v) => o with { Tls = o.Tls with { SslKey = v } },
            ["cert-allowed-cn"] = (o, v) => o with { Tls = o.Tls with { CertAllowedCn = TlsSettings.ParseNames(v) } },
        },
        new HashSet<string>(StringComparer.Ordinal) { "stream-csv", "defer-indexes" },
        new HashSet<string>(StringComparer.Ordinal) { "log-format", "log-rotate", "experimental" });

    public static WorkerOptions Parse(IReadOnlyList<string> args) => Parse(args, Environment.GetEnvironmentVariable);

    public static WorkerOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment) =>
        Settings.Parse(args, FromEnvironment(new WorkerOptions(), environment), (o, file) => o with { ConfigFile = file });

    /// <summary><paramref name="options"/> with the switches the environment sets (0/1, false/true); a bad value is refused.</summary>
    public static WorkerOptions FromEnvironment(WorkerOptions options, Func<string, string?> environment)
    {
        bool? Switch(string variable)
        {
            if (environment(variable) is not { Length: > 0 } value) return null;
            try { return ProcessSettings<WorkerOptions>.ParseBool(variable, value); }
            catch (ProcessConfigException)
            {
                throw new ProcessConfigException($"invalid value \"{value}\" for {variable} in the environment (0 or 1)");
            }
        }
        return options with
        {
            StreamCsv = Switch(StreamCsvVariable) ?? options.StreamCsv,
            DeferIndexes = Switch(DeferIndexesVariable) ?? options.DeferIndexes,
        };
    }
}
