using System.Globalization;
using Tomlyn;
using Tomlyn.Model;

namespace Dm.Core.CommandLine;

/// <summary>Thrown for a bad flag or config file; a DM process prints it and exits with status 2.</summary>
public sealed class ProcessConfigException(string message) : Exception(message);

/// <summary>
/// The flags and TOML config file of DM's processes (dm-master, dm-worker): Go-style flags
/// (<c>-name value</c>, <c>--name=value</c>, bare booleans), <c>--config file.toml</c> with the same keys,
/// flags winning over the file. Unknown flags and keys are errors, as in DM.
/// </summary>
public sealed class ProcessSettings<T>(IReadOnlyDictionary<string, Func<T, string, T>> settings, IReadOnlySet<string> booleanFlags,
    IReadOnlySet<string> acceptedUnusedKeys)
{
    public T Parse(IReadOnlyList<string> args, T defaults, Func<T, string, T> setConfigFile)
    {
        var flags = new List<(string Name, string Value)>();
        string? configFile = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-') || arg is "-" or "--") throw new ProcessConfigException($"unexpected argument '{arg}'");
            var body = arg.TrimStart('-');
            string name, value;
            var eq = body.IndexOf('=');
            if (eq >= 0) (name, value) = (body[..eq], body[(eq + 1)..]);
            else if (booleanFlags.Contains(body)) (name, value) = (body, "true");
            else
            {
                name = body;
                if (i + 1 >= args.Count) throw new ProcessConfigException($"flag needs an argument: -{name}");
                value = args[++i];
            }
            if (name == "config") configFile = value;
            else if (!settings.ContainsKey(name)) throw new ProcessConfigException($"flag provided but not defined: -{name}");
            else flags.Add((name, value));
        }

        var result = defaults;
        if (configFile != null) result = ApplyToml(setConfigFile(result, configFile), configFile);
        foreach (var (name, value) in flags) result = settings[name](result, value);
        return result;
    }

    private T ApplyToml(T result, string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProcessConfigException($"cannot read config file {path}: {e.Message}");
        }
        TomlTable table;
        try { table = TomlSerializer.Deserialize<TomlTable>(text) ?? new TomlTable(); }
        catch (Exception e)
        {
            throw new ProcessConfigException($"config file {path} is not valid TOML: {e.Message}");
        }
        foreach (var (key, raw) in table)
        {
            if (acceptedUnusedKeys.Contains(key)) continue;
            if (!settings.TryGetValue(key, out var set))
                throw new ProcessConfigException($"config file {path} contained unknown configuration options: {key}");
            var value = raw switch
            {
                string s => s,
                bool b => b ? "true" : "false",
                TomlArray array => string.Join(',', array),
                null => "",
                _ => Convert.ToString(raw, CultureInfo.InvariantCulture) ?? "",
            };
            result = set(result, value);
        }
        return result;
    }

    public static bool ParseBool(string name, string value) => value.ToLowerInvariant() switch
    {
        "true" or "1" or "t" => true,
        "false" or "0" or "f" => false,
        _ => throw new ProcessConfigException($"invalid boolean value \"{value}\" for -{name}"),
    };

    /// <summary>A Go duration ("90s", "1m30s"), or a bare number of seconds as DM's TOML files also write.</summary>
    public static TimeSpan ParseDuration(string name, string value)
    {
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return TimeSpan.FromSeconds(seconds);
        return Config.GoDuration.TryParse(value, out var d) ? d : throw new ProcessConfigException($"invalid duration \"{value}\" for {name}");
    }
}
