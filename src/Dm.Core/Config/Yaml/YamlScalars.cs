using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Dm.Core.Config.Yaml;

/// <summary>
/// Resolves plain YAML scalars the way Go's yaml.v2 (which DM uses) does: YAML 1.1 booleans
/// (yes/no/on/off), integers with 0x/0o/0b prefixes and underscores, "~"/"null" as null.
/// Quoted scalars are always strings.
/// </summary>
public static class YamlScalars
{
    private const string StrTag = "tag:yaml.org,2002:str";

    private static readonly HashSet<string> Trues = ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"];
    private static readonly HashSet<string> Falses = ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"];
    private static readonly HashSet<string> Nulls = ["", "~", "null", "Null", "NULL"];

    public static bool IsPlain(YamlScalarNode node) =>
        node.Style is ScalarStyle.Plain or ScalarStyle.Any && node.Tag.IsEmpty;

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode s && IsPlain(s) && Nulls.Contains(s.Value ?? "");

    public static bool TryBool(YamlScalarNode node, out bool value)
    {
        value = false;
        if (!IsPlain(node))
            return false;
        if (Trues.Contains(node.Value!))
            return value = true;
        return Falses.Contains(node.Value!);
    }

    public static bool TryInt64(YamlScalarNode node, out long value)
    {
        value = 0;
        if (!IsPlain(node))
            return false;
        var text = (node.Value ?? "").Replace("_", "", StringComparison.Ordinal);
        var negative = text.StartsWith('-');
        if (negative || text.StartsWith('+'))
            text = text[1..];
        ulong magnitude = 0;
        bool ok;
        if (text.StartsWith("0x", StringComparison.Ordinal))
            ok = ulong.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out magnitude);
        else if (text.StartsWith("0b", StringComparison.Ordinal))
            ok = ulong.TryParse(text[2..], NumberStyles.AllowBinarySpecifier, CultureInfo.InvariantCulture, out magnitude);
        else if (text.StartsWith("0o", StringComparison.Ordinal))
            ok = TryOctal(text[2..], out magnitude);
        else if (text.Length > 1 && text[0] == '0')
            ok = TryOctal(text[1..], out magnitude);
        else
            ok = text.Length > 0 && text.All(char.IsAsciiDigit) && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out magnitude);
        if (!ok)
            return false;
        if (negative ? magnitude > (ulong)long.MaxValue + 1 : magnitude > long.MaxValue)
            return false;
        value = negative ? (long)(0 - magnitude) : (long)magnitude;
        return true;
    }

    public static bool TryDouble(YamlScalarNode node, out double value)
    {
        value = 0;
        if (TryInt64(node, out var l))
        {
            value = l;
            return true;
        }
        return IsPlain(node) && double.TryParse(node.Value!.Replace("_", "", StringComparison.Ordinal),
            NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>True when a plain scalar with this text would not read back as a string.</summary>
    public static bool NeedsQuotes(string text)
    {
        if (Nulls.Contains(text) || Trues.Contains(text) || Falses.Contains(text))
            return true;
        var probe = new YamlScalarNode(text);
        if (TryDouble(probe, out _))
            return true;
        // Leading/trailing spaces and YAML indicators would change meaning when plain.
        return text != text.Trim() || ":-?[]{},#&*!|>'\"%@`".Contains(text[0]) || text.Contains(": ", StringComparison.Ordinal)
            || text.Contains(" #", StringComparison.Ordinal) || text.EndsWith(':') || text.Contains('\n');
    }

    public static bool HasStringTag(YamlScalarNode node) => node.Tag.Value == StrTag;

    private static bool TryOctal(string digits, out ulong value)
    {
        value = 0;
        if (digits.Length == 0)
            return false;
        foreach (var c in digits)
        {
            if (c is < '0' or > '7' || value > ulong.MaxValue >> 3)
                return false;
            value = value * 8 + (ulong)(c - '0');
        }
        return true;
    }
}
