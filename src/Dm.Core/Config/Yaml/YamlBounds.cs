using Dm.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Dm.Core.Config.Yaml;

/// <summary>
/// Bounds a YAML text before it is loaded and walked: aliases and merge keys (<c>&lt;&lt;: *a</c>) let a 1 KB file stand
/// for billions of nodes ("billion laughs"), which a reader that follows them (merges, lists, the converters' output)
/// would expand, and deep nesting would exhaust the stack of the recursive loader. One pass over the parser's events
/// (no recursion, linear in the text) counts the nodes the document stands for with every alias expanded (an anchor's
/// size is known when its node ends) and the nesting depth; past <see cref="MaxExpandedNodes"/> or
/// <see cref="MaxDepth"/>, or with an alias to a node that contains it, the text is refused with DM's 20003.
/// </summary>
public static class YamlBounds
{
    /// <summary>The most nodes a document may stand for with its aliases expanded (a large task file has a few thousand).</summary>
    public const long MaxExpandedNodes = 100_000;

    /// <summary>The deepest nesting of mappings and sequences (DM's task file nests about six).</summary>
    public const int MaxDepth = 64;

    /// <summary>Checks <paramref name="text"/>; syntax errors are left for the loader to report.</summary>
    public static void Check(string text, string what)
    {
        var anchors = new Dictionary<string, long>(StringComparer.Ordinal);
        // One frame per open mapping or sequence: its anchor and the nodes counted inside it so far.
        var open = new Stack<(string? Anchor, long Size)>();
        long total = 0;
        var parser = new Parser(new StringReader(text));
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case Scalar scalar:
                        if (!scalar.Anchor.IsEmpty) anchors[scalar.Anchor.Value] = 1;
                        Add(1);
                        break;
                    case AnchorAlias alias:
                        if (!anchors.TryGetValue(alias.Value.Value, out var size))
                            throw DmErrors.ErrConfigYamlTransform.New(
                                $"decode {what}: line {alias.Start.Line}: alias *{alias.Value.Value} refers to no finished anchor (or to a node that contains it)");
                        Add(size);
                        break;
                    case NodeEvent { } start and (MappingStart or SequenceStart):
                        if (open.Count >= MaxDepth)
                            throw DmErrors.ErrConfigYamlTransform.New($"decode {what}: line {start.Start.Line}: nested deeper than {MaxDepth} levels");
                        open.Push((start.Anchor.IsEmpty ? null : start.Anchor.Value, 1));
                        // An anchor being defined cannot be used inside itself.
                        if (!start.Anchor.IsEmpty) anchors.Remove(start.Anchor.Value);
                        break;
                    case MappingEnd or SequenceEnd:
                        var (anchor, inner) = open.Pop();
                        if (anchor != null) anchors[anchor] = inner;
                        Add(inner);
                        break;
                }
            }
        }
        catch (YamlException)
        {
            // Not valid YAML: the loader reports where.
        }

        void Add(long size)
        {
            if (open.Count > 0)
            {
                var (anchor, inner) = open.Pop();
                open.Push((anchor, inner + size));
                if (inner + size > MaxExpandedNodes) throw TooLarge();
            }
            else if ((total += size) > MaxExpandedNodes) throw TooLarge();
        }

        DmException TooLarge() => DmErrors.ErrConfigYamlTransform.New(
            $"decode {what}: the document stands for more than {MaxExpandedNodes} nodes once its aliases and merge keys (<<) are expanded");
    }
}
