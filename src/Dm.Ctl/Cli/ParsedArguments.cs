using Dm.Ctl.Output;

namespace Dm.Ctl.Cli;

/// <summary>Positional arguments and flag values of one invocation, looked up by a flag's long name.</summary>
public sealed class ParsedArguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = [];

    internal void Add(string flag, string value) =>
        (_values.TryGetValue(flag, out var list) ? list : _values[flag] = []).Add(value);

    public bool Has(string flag) => _values.ContainsKey(flag);

    public string? Value(string flag) => _values.TryGetValue(flag, out var list) ? list[^1] : null;

    /// <summary>All values of a list flag, comma-separated parts split and empty parts dropped.</summary>
    public List<string> List(string flag) => _values.TryGetValue(flag, out var list)
        ? list.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList()
        : [];

    public bool Bool(string flag, bool defaultValue = false)
    {
        var text = Value(flag);
        if (text == null) return defaultValue;
        return text.ToLowerInvariant() switch
        {
            "" or "true" or "1" or "t" => true,
            "false" or "0" or "f" => false,
            _ => throw CtlException.Usage($"invalid argument \"{text}\" for \"--{flag}\" flag: expected true or false"),
        };
    }

    public long Int64(string flag, long defaultValue)
    {
        var text = Value(flag);
        if (text == null) return defaultValue;
        return long.TryParse(text, out var n) ? n : throw CtlException.Usage($"invalid argument \"{text}\" for \"--{flag}\" flag: not an integer");
    }
}
