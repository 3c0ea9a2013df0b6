using System.Text.Json;

namespace Dm.Master.State;

/// <summary>JSON options for the master's own records in the cluster store (not API bodies).</summary>
public static class StateJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
