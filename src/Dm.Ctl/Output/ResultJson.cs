using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dm.Ctl.Output;

/// <summary>DM's dmctl output: jsonpb with four-space indent and lowerCamelCase names, result and msg first.</summary>
public static class ResultJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        IndentSize = 4,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonObject Ok(string msg = "") => new() { ["result"] = true, ["msg"] = msg };

    public static JsonObject Failed(string msg) => new() { ["result"] = false, ["msg"] = msg };

    public static string Render(JsonNode node) => node.ToJsonString(Options);

    /// <summary>One source's line in a response: <c>{"result","msg","source","worker"}</c>.</summary>
    public static JsonObject SourceLine(string source, string worker, bool result = true, string msg = "") =>
        new() { ["result"] = result, ["msg"] = msg, ["source"] = source, ["worker"] = worker };

    public static JsonArray Array(IEnumerable<JsonNode> items) => new([.. items]);
}
