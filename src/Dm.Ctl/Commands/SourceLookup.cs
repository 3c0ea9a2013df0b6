using System.Text.Json.Nodes;
using Dm.Ctl.Master;

namespace Dm.Ctl.Commands;

/// <summary>Which worker serves a source, from GET /sources/{name}/status ("" when unbound).</summary>
public static class SourceLookup
{
    public static async Task<string> WorkerOfAsync(MasterClient master, string source, CancellationToken ct)
    {
        var status = await master.GetAsync($"/api/v1/sources/{MasterClient.Escape(source)}/status", ct);
        return status?["data"] is JsonArray data
            ? data.Select(d => d?["worker_name"]?.GetValue<string>() ?? "").FirstOrDefault(w => w.Length > 0) ?? ""
            : "";
    }

    /// <summary>DM's message for a source that no worker serves yet.</summary>
    public static string UnboundMessage(string worker) =>
        worker.Length == 0 ? "source is added but there is no free worker to bound" : "";
}
