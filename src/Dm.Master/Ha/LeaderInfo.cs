using System.Text.Json;
using Dm.ClusterState;
using Dm.Master.State;

namespace Dm.Master.Ha;

/// <summary>A master as its election candidacy names it: its name and the client address others reach it at (advertise-addr).</summary>
public sealed record LeaderInfo(string Name, string Addr)
{
    public string ToJson() => JsonSerializer.Serialize(this, StateJson.Options);

    /// <summary>The candidate a key of the election holds (null for a value that is not one).</summary>
    public static LeaderInfo? Of(KeyValue kv)
    {
        try
        {
            return JsonSerializer.Deserialize<LeaderInfo>(kv.Value, StateJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
