using System.Text.Json;
using Dm.ClusterState;
using Dm.Master.State;

namespace Dm.Master.Cluster;

/// <summary>
/// Reads what the store says about workers: registered (<c>/dm-worker/r/</c>), alive (a lease key under
/// <c>/dm-worker/a/</c>), bound to a source, or assigned to pull relay log. Gives DM's bound_stage.
/// </summary>
public static class WorkerDirectory
{
    public const string Offline = "offline";
    public const string Free = "free";
    public const string Bound = "bound";
    public const string Relay = "relay";

    public sealed record WorkerRegistration(string Name, string Address);

    public sealed record SourceBound(string Source, string Worker);

    public sealed record WorkerView(string Name, string Address, string Stage, string? BoundSource, string? RelaySource);

    public static async Task<IReadOnlyList<WorkerView>> ReadAsync(IClusterStore store, CancellationToken ct)
    {
        var registered = await store.GetPrefixAsync(MasterKeys.WorkerRegisterPrefix, ct);
        var alive = (await store.GetPrefixAsync(MasterKeys.WorkerKeepAlivePrefix, ct)).Kvs
            .Select(kv => MasterKeys.LastName(kv.Key)).ToHashSet(StringComparer.Ordinal);
        var bounds = (await store.GetPrefixAsync(MasterKeys.BoundWorkerPrefix, ct)).Kvs
            .Select(kv => JsonSerializer.Deserialize<SourceBound>(kv.Value, StateJson.Options)!)
            .ToDictionary(b => b.Worker, b => b.Source, StringComparer.Ordinal);
        var relays = (await store.GetPrefixAsync(MasterKeys.RelayWorkerPrefix, ct)).Kvs
            .ToDictionary(kv => MasterKeys.LastName(kv.Key), kv => kv.ValueString, StringComparer.Ordinal);

        var views = new List<WorkerView>();
        foreach (var kv in registered.Kvs)
        {
            var registration = JsonSerializer.Deserialize<WorkerRegistration>(kv.Value, StateJson.Options)!;
            var name = registration.Name;
            bounds.TryGetValue(name, out var boundSource);
            relays.TryGetValue(name, out var relaySource);
            var stage = !alive.Contains(name) ? Offline
                : boundSource != null ? Bound
                : relaySource != null ? Relay
                : Free;
            views.Add(new WorkerView(name, registration.Address, stage, boundSource ?? (stage == Relay ? relaySource : null), relaySource));
        }
        return views.OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
    }
}
