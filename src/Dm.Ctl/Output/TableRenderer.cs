using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dm.Ctl.Output;

/// <summary>
/// <c>--output table</c>: the same response as readable text. Scalars print as <c>key: value</c>, arrays of
/// objects as aligned tables (nested objects become dotted columns), arrays nested in rows as their own tables.
/// </summary>
public static class TableRenderer
{
    public static string Render(JsonObject result)
    {
        var text = new StringBuilder();
        RenderObject(text, result, "");
        return text.ToString().TrimEnd();
    }

    private static void RenderObject(StringBuilder text, JsonObject obj, string prefix)
    {
        var tables = new List<(string Name, List<JsonObject> Rows)>();
        foreach (var (key, value) in obj)
        {
            var name = prefix + key;
            switch (value)
            {
                case JsonArray array when array.All(i => i is JsonObject) && array.Count > 0:
                    tables.Add((name, array.Cast<JsonObject>().ToList()));
                    break;
                case JsonObject child:
                    RenderObject(text, child, name + ".");
                    break;
                case JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Contains('\n'):
                    text.AppendLine($"{name}:");
                    foreach (var line in v.GetValue<string>().TrimEnd().Split('\n')) text.AppendLine("    " + line);
                    break;
                default:
                    text.AppendLine($"{name}: {Scalar(value)}");
                    break;
            }
        }
        foreach (var (name, rows) in tables) RenderTable(text, name, rows);
    }

    private static void RenderTable(StringBuilder text, string name, List<JsonObject> rows)
    {
        var nested = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        var flat = rows.Select(r => Flatten(r, "", nested)).ToList();
        var columns = flat.SelectMany(r => r.Keys).Distinct().ToList();
        var widths = columns.Select(c => Math.Max(c.Length, flat.Max(r => r.GetValueOrDefault(c, "").Length))).ToList();
        text.AppendLine();
        text.AppendLine($"{name}:");
        text.AppendLine(Line(columns, widths));
        text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in flat) text.AppendLine(Line(columns.Select(c => row.GetValueOrDefault(c, "")).ToList(), widths));
        foreach (var (child, childRows) in nested) RenderTable(text, $"{name}.{child}", childRows);
    }

    private static Dictionary<string, string> Flatten(JsonObject obj, string prefix, Dictionary<string, List<JsonObject>> nested)
    {
        var cells = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            switch (value)
            {
                case JsonObject child:
                    foreach (var (k, v) in Flatten(child, prefix + key + ".", nested)) cells[k] = v;
                    break;
                case JsonArray array when array.Count > 0 && array.All(i => i is JsonObject):
                    var list = nested.TryGetValue(prefix + key, out var l) ? l : nested[prefix + key] = [];
                    list.AddRange(array.Select(i => (JsonObject)i!.DeepClone()));
                    break;
                default:
                    cells[prefix + key] = Scalar(value).Replace('\n', ' ');
                    break;
            }
        }
        return cells;
    }

    private static string Line(IReadOnlyList<string> cells, IReadOnlyList<int> widths) =>
        string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();

    private static string Scalar(JsonNode? value) => value switch
    {
        null => "-",
        JsonArray array => string.Join(",", array.Select(Scalar)),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToJsonString(),
    };
}
