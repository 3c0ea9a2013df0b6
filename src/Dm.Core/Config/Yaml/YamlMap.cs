using Dm.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Dm.Core.Config.Yaml;

/// <summary>
/// Strict reader over one YAML mapping: every getter records the key as known, and
/// <see cref="RejectUnknownKeys"/> fails on anything left over (DM decodes with yaml.UnmarshalStrict).
/// Errors are DM error 20003 naming the key path and line.
/// </summary>
public sealed class YamlMap
{
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    private YamlMap(YamlMappingNode node, string path, long? line = null)
    {
        Path = path;
        Line = (int)(line ?? node.Start.Line);
        AddEntries(node, path);
    }

    // Explicit keys win over merged ones ("<<: *anchor" or "<<: [*a, *b]", earlier sources first), as in yaml.v2.
    // An anchor is defined before any alias to it, so merges cannot recurse forever.
    private void AddEntries(YamlMappingNode node, string path)
    {
        var merges = new List<YamlNode>();
        foreach (var (key, value) in node.Children)
        {
            if (key is not YamlScalarNode scalar)
                throw Error(key, $"{Describe(path)}: mapping keys must be scalars");
            if (scalar.Value == "<<" && YamlScalars.IsPlain(scalar))
                merges.Add(value);
            else
                _entries[scalar.Value ?? ""] = (scalar, value);
        }
        foreach (var merge in merges)
        {
            var sources = merge switch
            {
                YamlMappingNode m => new List<YamlMappingNode> { m },
                YamlSequenceNode seq when seq.Children.All(c => c is YamlMappingNode) => seq.Children.Cast<YamlMappingNode>().ToList(),
                _ => throw Error(merge, $"{Describe(path)}: a merge key (<<) needs a mapping or a list of mappings"),
            };
            foreach (var source in sources)
            {
                var merged = new YamlMap(source, path, null);
                foreach (var (name, entry) in merged._entries)
                    _entries.TryAdd(name, entry);
            }
        }
    }

    /// <summary>Dotted path of this mapping inside the document ("" for the root).</summary>
    public string Path { get; }

    public int Line { get; }

    /// <summary>Parses a whole document whose root must be a mapping. An empty document is an empty mapping.</summary>
    public static YamlMap ParseDocument(string text, string what)
    {
        YamlBounds.Check(text, what);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw DmErrors.ErrConfigYamlTransform.New($"decode {what}: line {ex.Start.Line}: {Innermost(ex)}");
        }
        if (stream.Documents.Count == 0 || YamlScalars.IsNull(stream.Documents[0].RootNode))
            return new YamlMap(new YamlMappingNode(), "");
        if (stream.Documents.Count > 1)
            throw DmErrors.ErrConfigYamlTransform.New($"decode {what}: expected one YAML document, found {stream.Documents.Count}");
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw DmErrors.ErrConfigYamlTransform.New($"decode {what}: line {stream.Documents[0].RootNode.Start.Line}: the document must be a mapping of keys");
        return new YamlMap(root, "");
    }

    public bool Has(string key)
    {
        _known.Add(key);
        return _entries.TryGetValue(key, out var e) && !YamlScalars.IsNull(e.Value);
    }

    public string? String(string key)
    {
        var node = Scalar(key);
        return node?.Value;
    }

    public bool? Bool(string key)
    {
        var node = Scalar(key);
        if (node is null)
            return null;
        return YamlScalars.TryBool(node, out var v) ? v : throw TypeError(key, node, "a boolean");
    }

    public long? Int64(string key)
    {
        var node = Scalar(key);
        if (node is null)
            return null;
        return YamlScalars.TryInt64(node, out var v) ? v : throw TypeError(key, node, "an integer");
    }

    public int? Int(string key)
    {
        var node = Scalar(key);
        if (node is null)
            return null;
        return YamlScalars.TryInt64(node, out var v) && v is >= int.MinValue and <= int.MaxValue
            ? (int)v : throw TypeError(key, node, "a 32-bit integer");
    }

    public uint? UInt32(string key)
    {
        var node = Scalar(key);
        if (node is null)
            return null;
        return YamlScalars.TryInt64(node, out var v) && v is >= 0 and <= uint.MaxValue
            ? (uint)v : throw TypeError(key, node, "an unsigned 32-bit integer");
    }

    public ulong? UInt64(string key)
    {
        var node = Scalar(key);
        if (node is null)
            return null;
        return YamlScalars.TryInt64(node, out var v) && v >= 0 ? (ulong)v : throw TypeError(key, node, "an unsigned integer");
    }

    public double? Double(string key)
    {
        var node = Scalar(key);
        if (node is null)
            return null;
        return YamlScalars.TryDouble(node, out var v) ? v : throw TypeError(key, node, "a number");
    }

    /// <summary>A Go duration such as "5m" or "1h30m"; DM writes them as strings.</summary>
    public TimeSpan? Duration(string key)
    {
        var node = Scalar(key);
        if (node is null)
            return null;
        return GoDuration.TryParse(node.Value ?? "", out var d) ? d : throw TypeError(key, node, "a duration like \"5m\" or \"30s\"");
    }

    public List<string>? Strings(string key)
    {
        var seq = Sequence(key);
        if (seq is null)
            return null;
        var list = new List<string>();
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var item = seq.Children[i];
            if (YamlScalars.IsNull(item))
                list.Add("");
            else if (item is YamlScalarNode s)
                list.Add(s.Value ?? "");
            else
                throw Error(item, $"{Describe(Child(key))}[{i}]: expected a string, found {Kind(item)}");
        }
        return list;
    }

    public YamlMap? Map(string key)
    {
        var node = Node(key);
        if (node is null)
            return null;
        return node is YamlMappingNode m ? new YamlMap(m, Child(key)) : throw Error(node, $"{Describe(Child(key))}: expected a mapping, found {Kind(node)}");
    }

    public List<YamlMap>? Maps(string key)
    {
        var seq = Sequence(key);
        if (seq is null)
            return null;
        var list = new List<YamlMap>();
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var item = seq.Children[i];
            var path = $"{Child(key)}[{i}]";
            if (YamlScalars.IsNull(item))
                throw Error(item, $"{Describe(path)}: must not be empty");
            list.Add(item is YamlMappingNode m ? new YamlMap(m, path) : throw Error(item, $"{Describe(path)}: expected a mapping, found {Kind(item)}"));
        }
        return list;
    }

    /// <summary>A mapping of user-chosen names to mappings (routes, filters, mydumpers, ...). Null values read as empty mappings.</summary>
    public List<(string Name, YamlMap Value)>? NamedMaps(string key)
    {
        var map = Map(key);
        if (map is null)
            return null;
        var list = new List<(string, YamlMap)>();
        foreach (var (name, (keyNode, value)) in map._entries)
        {
            map._known.Add(name);
            var path = map.Child(name);
            if (YamlScalars.IsNull(value))
                list.Add((name, new YamlMap(new YamlMappingNode(), path, keyNode.Start.Line)));
            else if (value is YamlMappingNode m)
                list.Add((name, new YamlMap(m, path)));
            else
                throw Error(value, $"{Describe(path)}: expected a mapping, found {Kind(value)}");
        }
        return list;
    }

    /// <summary>A mapping of string keys to scalar values (session variables).</summary>
    public Dictionary<string, string>? StringMap(string key)
    {
        var map = Map(key);
        if (map is null)
            return null;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, (_, value)) in map._entries)
        {
            map._known.Add(name);
            result[name] = value switch
            {
                _ when YamlScalars.IsNull(value) => "",
                YamlScalarNode s => s.Value ?? "",
                _ => throw Error(value, $"{Describe(map.Child(name))}: expected a string, found {Kind(value)}"),
            };
        }
        return result;
    }

    /// <summary>
    /// A deprecated mapping whose contents DM no longer interprets (column-mappings, tracer):
    /// accepted whole, only its entry count is returned.
    /// </summary>
    public int OpaqueMapCount(string key)
    {
        var node = Node(key);
        return node switch
        {
            null => 0,
            YamlMappingNode m => m.Children.Count,
            _ => throw Error(node, $"{Describe(Child(key))}: expected a mapping, found {Kind(node)}"),
        };
    }

    /// <summary>Fails on the first key that no getter asked for, naming it and its line.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var (name, (keyNode, _)) in _entries)
        {
            if (!_known.Contains(name))
                throw Error(keyNode, $"field {name} not found in {(Path.Length == 0 ? "the top level" : Path)}");
        }
    }

    /// <summary>An error about a value of this mapping, with the key's line.</summary>
    public DmException ValueError(string key, string problem)
    {
        var line = _entries.TryGetValue(key, out var e) ? (int)e.Key.Start.Line : Line;
        return DmErrors.ErrConfigYamlTransform.New($"line {line}: {Describe(Child(key))}: {problem}");
    }

    private YamlNode? Node(string key)
    {
        _known.Add(key);
        if (!_entries.TryGetValue(key, out var e) || YamlScalars.IsNull(e.Value))
            return null;
        return e.Value;
    }

    private YamlScalarNode? Scalar(string key)
    {
        var node = Node(key);
        if (node is null)
            return null;
        return node as YamlScalarNode ?? throw Error(node, $"{Describe(Child(key))}: expected a scalar value, found {Kind(node)}");
    }

    private YamlSequenceNode? Sequence(string key)
    {
        var node = Node(key);
        if (node is null)
            return null;
        return node as YamlSequenceNode ?? throw Error(node, $"{Describe(Child(key))}: expected a list, found {Kind(node)}");
    }

    private DmException TypeError(string key, YamlScalarNode node, string expected) =>
        Error(node, $"{Describe(Child(key))}: cannot use {Quote(node)} as {expected}");

    private static DmException Error(YamlNode node, string message) =>
        DmErrors.ErrConfigYamlTransform.New($"line {node.Start.Line}: {message}");

    private string Child(string key) => Path.Length == 0 ? key : Path + "." + key;

    private static string Describe(string path) => "`" + path + "`";

    private static string Quote(YamlScalarNode node) =>
        YamlScalars.IsPlain(node) ? node.Value ?? "" : "\"" + node.Value + "\" (quoted string)";

    private static string Kind(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ => "a scalar",
    };

    private static string Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
            ex = ex.InnerException;
        var message = ex.Message;
        var close = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && close > 0 ? message[(close + 3)..] : message;
    }
}
