using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Dm.Core.Config.Yaml;

/// <summary>
/// Builds a YAML mapping in a fixed key order (DM's struct order) and renders it the way Go's
/// yaml.v2 does: block style, empty lists as [], empty maps as {}, strings quoted only when a plain
/// scalar would read back as something else.
/// </summary>
public sealed class YamlMapWriter
{
    public YamlMappingNode Node { get; } = new();

    public YamlMapWriter String(string key, string? value)
    {
        Node.Add(key, StringNode(value ?? ""));
        return this;
    }

    public YamlMapWriter Bool(string key, bool value)
    {
        Node.Add(key, new YamlScalarNode(value ? "true" : "false"));
        return this;
    }

    public YamlMapWriter Int(string key, long value)
    {
        Node.Add(key, new YamlScalarNode(value.ToString(CultureInfo.InvariantCulture)));
        return this;
    }

    public YamlMapWriter UInt(string key, ulong value)
    {
        Node.Add(key, new YamlScalarNode(value.ToString(CultureInfo.InvariantCulture)));
        return this;
    }

    public YamlMapWriter Double(string key, double value)
    {
        Node.Add(key, new YamlScalarNode(value.ToString("R", CultureInfo.InvariantCulture)));
        return this;
    }

    public YamlMapWriter Duration(string key, TimeSpan value) => String(key, GoDuration.Format(value));

    public YamlMapWriter Null(string key)
    {
        Node.Add(key, new YamlScalarNode("null"));
        return this;
    }

    public YamlMapWriter Strings(string key, IEnumerable<string>? values)
    {
        var seq = new YamlSequenceNode();
        foreach (var v in values ?? [])
            seq.Add(StringNode(v));
        if (seq.Children.Count == 0)
            seq.Style = SequenceStyle.Flow;
        Node.Add(key, seq);
        return this;
    }

    public YamlMapWriter Map(string key, YamlMapWriter? value)
    {
        if (value is null)
            return Null(key);
        if (value.Node.Children.Count == 0)
            value.Node.Style = MappingStyle.Flow;
        Node.Add(key, value.Node);
        return this;
    }

    public YamlMapWriter Maps(string key, IEnumerable<YamlMapWriter> values)
    {
        var seq = new YamlSequenceNode();
        foreach (var v in values)
            seq.Add(v.Node);
        if (seq.Children.Count == 0)
            seq.Style = SequenceStyle.Flow;
        Node.Add(key, seq);
        return this;
    }

    /// <summary>Name → mapping, keys sorted like Go's map marshalling.</summary>
    public YamlMapWriter NamedMaps<T>(string key, IReadOnlyDictionary<string, T> values, Func<T, YamlMapWriter> write)
    {
        var map = new YamlMapWriter();
        foreach (var name in values.Keys.Order(StringComparer.Ordinal))
            map.Map(name, write(values[name]));
        return Map(key, map);
    }

    public YamlMapWriter StringMap(string key, IReadOnlyDictionary<string, string>? values)
    {
        var map = new YamlMapWriter();
        foreach (var name in (values?.Keys ?? []).Order(StringComparer.Ordinal))
            map.String(name, values![name]);
        return Map(key, map);
    }

    public override string ToString()
    {
        var stream = new YamlStream(new YamlDocument(Node));
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        stream.Save(writer, assignAnchors: false);
        var text = writer.ToString().ReplaceLineEndings("\n");
        if (text.EndsWith("...\n", StringComparison.Ordinal))
            text = text[..^4];
        return text;
    }

    private static YamlScalarNode StringNode(string value) =>
        new(value) { Style = YamlScalars.NeedsQuotes(value) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any };
}
