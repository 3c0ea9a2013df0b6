using System.Text.Json.Nodes;
using Dm.Ctl.Master;

namespace Dm.Ctl.TaskFiles;

/// <summary>The schemas and tables a source has, as the master lists them (GET /sources/{s}/schemas[/{schema}]).</summary>
public static class UpstreamTables
{
    public static async Task<List<(string Schema, string Table)>> ListAsync(MasterClient master, string source, CancellationToken ct)
    {
        var path = $"/api/v1/sources/{MasterClient.Escape(source)}/schemas";
        var result = new List<(string, string)>();
        foreach (var schema in Names(await master.GetAsync(path, ct)))
        {
            result.Add((schema, ""));
            foreach (var table in Names(await master.GetAsync($"{path}/{MasterClient.Escape(schema)}", ct)))
                result.Add((schema, table));
        }
        return result;
    }

    private static IEnumerable<string> Names(JsonNode? node) =>
        node is JsonArray array ? array.Select(n => n!.GetValue<string>()) : [];
}
