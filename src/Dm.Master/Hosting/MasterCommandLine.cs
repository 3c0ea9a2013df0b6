using Tomlyn;
using Tomlyn.Model;

namespace Dm.Master.Hosting;

/// <summary>Thrown for a bad flag or config file; the process prints it and exits with status 2.</summary>
public sealed class MasterConfigException(string message) : Exception(message);

/// <summary>
/// Reads DM's dm-master flags and TOML config. Flags are Go-style: <c>-name value</c>,
/// <c>--name=value</c>, bare boolean flags. Unknown flags and unknown TOML keys are errors, as in DM.
/// </summary>
public static class MasterCommandLine
{
    private delegate MasterOptions Setter(MasterOptions options, string value);

    private static readonly Dictionary<string, Setter> Settings = new(StringComparer.Ordinal)
    {
        ["name"] = (o, v) => o with { Name = v },
        ["master-addr"] = (o, v) => o with { MasterAddr = v },
        ["advertise-addr"] = (o, v) => o with { AdvertiseAddr = v },
        ["peer-urls"] = (o, v) => o with { PeerUrls = v },
        ["advertise-peer-urls"] = (o, v) => o with { AdvertisePeerUrls = v },
        ["initial-cluster"] = (o, v) => o with { InitialCluster = v },
        ["initial-cluster-state"] = (o, v) => o with { InitialClusterState = v },
        ["join"] = (o, v) => o with { Join = v },
        ["data-dir"] = (o, v) => o with { DataDir = v },
        ["log-level"] = (o, v) => o with { LogLevel = v },
        ["L"] = (o, v) => o with { LogLevel = v },
        ["log-file"] = (o, v) => o with { LogFile = v },
        ["openapi"] = (o, v) => o with { OpenApi = ParseBool("openapi", v) },
        ["secret-key-path"] = (o, v) => o with { SecretKeyPath = v },
        ["rpc-timeout"] = (o, v) => o with { RpcTimeout = ParseDuration("rpc-timeout", v) },
        ["keepalive-ttl"] = (o, v) => o with { KeepAliveTtl = ParseDuration("keepalive-ttl", v) },
    };

    /// <summary>Keys DM's master.toml may hold that DM# accepts and does not use (yet).</summary>
    private static readonly HashSet<string> AcceptedUnused = new(StringComparer.Ordinal)
    {
        "rpc-rate-limit", "rpc-rate-burst", "auto-compaction-mode", "auto-compaction-retention",
        "quota-backend-bytes", "max-txn-ops", "max-request-bytes", "ssl-ca", "ssl-cert", "ssl-key",
        "cert-allowed-cn", "experimental", "v1-sources-path", "log-format", "log-rotate",
    };

    private static readonly HashSet<string> BooleanFlags = new(StringComparer.Ordinal) { "openapi" };

    public static MasterOptions Parse(IReadOnlyList<string> args)
    {
        var flags = new List<(string Name, string Value)>();
        string? configFile = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-') || arg is "-" or "--")
                throw new MasterConfigException($"unexpected argument '{arg}'");
            var body = arg.TrimStart('-');
            string name, value;
            var eq = body.IndexOf('=');
            if (eq >= 0)
            {
                name = body[..eq];
                value = body[(eq + 1)..];
            }
            else if (BooleanFlags.Contains(body))
            {
                name = body;
                value = "true";
            }
            else
            {
                name = body;
                if (i + 1 >= args.Count) throw new MasterConfigException($"flag needs an argument: -{name}");
                value = args[++i];
            }
            if (name is "config") configFile = value;
            else if (name is "V" or "version") throw new MasterConfigException("version requested");
            else if (!Settings.ContainsKey(name)) throw new MasterConfigException($"flag provided but not defined: -{name}");
            else flags.Add((name, value));
        }

        var options = new MasterOptions();
        if (configFile != null) options = ApplyToml(options with { ConfigFile = configFile }, configFile);
        foreach (var (name, value) in flags) options = Settings[name](options, value);
        return options;
    }

    private static MasterOptions ApplyToml(MasterOptions options, string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MasterConfigException($"cannot read config file {path}: {e.Message}");
        }
        TomlTable table;
        try { table = TomlSerializer.Deserialize<TomlTable>(text) ?? new TomlTable(); }
        catch (Exception e)
        {
            throw new MasterConfigException($"config file {path} is not valid TOML: {e.Message}");
        }
        foreach (var (key, raw) in table)
        {
            if (AcceptedUnused.Contains(key)) continue;
            if (!Settings.TryGetValue(key, out var set))
                throw new MasterConfigException($"config file {path} contained unknown configuration options: {key}");
            var value = raw switch
            {
                string s => s,
                bool b => b ? "true" : "false",
                TomlArray array => string.Join(',', array),
                null => "",
                _ => Convert.ToString(raw, System.Globalization.CultureInfo.InvariantCulture) ?? "",
            };
            options = set(options, value);
        }
        return options;
    }

    private static TimeSpan ParseDuration(string name, string value) =>
        Dm.Core.Config.GoDuration.TryParse(value, out var d) ? d : throw new MasterConfigException($"invalid duration \"{value}\" for {name}");

    private static bool ParseBool(string name, string value) => value.ToLowerInvariant() switch
    {
        "true" or "1" or "t" => true,
        "false" or "0" or "f" => false,
        _ => throw new MasterConfigException($"invalid boolean value \"{value}\" for -{name}"),
    };
}
