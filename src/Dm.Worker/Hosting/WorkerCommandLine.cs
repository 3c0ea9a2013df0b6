using Dm.Core.CommandLine;

namespace Dm.Worker.Hosting;

/// <summary>dm-worker's flags and TOML keys, with DM's names.</summary>
public static class WorkerCommandLine
{
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
        },
        new HashSet<string>(StringComparer.Ordinal),
        new HashSet<string>(StringComparer.Ordinal) { "ssl-ca", "ssl-cert", "ssl-key", "cert-allowed-cn", "log-format", "log-rotate", "experimental" });

    public static WorkerOptions Parse(IReadOnlyList<string> args) =>
        Settings.Parse(args, new WorkerOptions(), (o, file) => o with { ConfigFile = file });
}
