using System.Security.Cryptography;
using System.Text.Json;
using Dm.ClusterState;
using Dm.Core.Api;
using Dm.Core.Errors;
using Dm.Master.Hosting;
using Dm.Master.State;

namespace Dm.Master.Cluster;

/// <summary>Cluster id and topology, the master members and the workers' registrations.</summary>
public sealed class ClusterService(IClusterStore store, MasterOptions options, MasterGate gate)
{
    /// <summary>Makes sure the cluster has an id (the first leader generates it) and this master is a member.</summary>
    public async Task InitialiseAsync(CancellationToken ct)
    {
        var id = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) >> 1;
        await store.TxnAsync([Compare.NotExists(MasterKeys.ClusterId)],
            [TxnOp.Put(MasterKeys.ClusterId, id.ToString(System.Globalization.CultureInfo.InvariantCulture))], ct: ct);
        var member = new MasterMember(options.Name, options.EffectiveAdvertisePeerUrls.Split(',')[0], options.EffectiveAdvertiseAddr);
        await store.PutAsync(MasterKeys.MasterMember(options.Name), JsonSerializer.Serialize(member, StateJson.Options), ct: ct);
    }

    public async Task<GetClusterInfoResponse> GetInfoAsync(CancellationToken ct)
    {
        var id = await store.GetStringAsync(MasterKeys.ClusterId, ct);
        var topology = await store.GetStringAsync(MasterKeys.ClusterTopology, ct);
        return new GetClusterInfoResponse
        {
            ClusterId = ulong.TryParse(id, out var parsed) ? parsed : 0,
            Topology = topology == null ? null : JsonSerializer.Deserialize<ClusterTopology>(topology, ApiJson.Options),
        };
    }

    public async Task<GetClusterInfoResponse> UpdateTopologyAsync(ClusterTopology topology, CancellationToken ct)
    {
        using (await gate.EnterAsync(ct))
            await store.PutAsync(MasterKeys.ClusterTopology, JsonSerializer.Serialize(topology, ApiJson.Options), ct: ct);
        return await GetInfoAsync(ct);
    }

    public async Task<GetClusterMasterListResponse> ListMastersAsync(CancellationToken ct)
    {
        var members = await store.GetPrefixAsync(MasterKeys.MasterMemberPrefix, ct);
        var data = members.Kvs
            .Select(kv => JsonSerializer.Deserialize<MasterMember>(kv.Value, StateJson.Options)!)
            .Select(m => new ClusterMaster
            {
                Name = m.Name,
                // The local store has one member, this master, which is alive and the leader.
                Alive = m.Name == options.Name,
                Leader = m.Name == options.Name,
                Addr = m.PeerUrl,
            })
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ToList();
        return new GetClusterMasterListResponse { Total = data.Count, Data = data };
    }

    public async Task OfflineMasterAsync(string name, CancellationToken ct)
    {
        using var entered = await gate.EnterAsync(ct);
        var key = MasterKeys.MasterMember(name);
        if ((await store.GetAsync(key, ct)).Kv == null)
            throw DmErrors.ErrMasterMasterNameNotExist.New(name);
        if (name == options.Name)
            throw DmErrors.ErrOpenAPICommonError.Wrap(new InvalidOperationException(
                $"dm-master {name} is the only member of this cluster and the one answering; it cannot take itself offline"));
        await store.DeleteAsync(key, ct);
    }

    public async Task<GetClusterWorkerListResponse> ListWorkersAsync(CancellationToken ct)
    {
        var workers = await WorkerDirectory.ReadAsync(store, ct);
        var data = workers.Select(w => new ClusterWorker
        {
            Name = w.Name,
            Addr = w.Address,
            BoundStage = w.Stage,
            BoundSourceName = w.BoundSource ?? "",
        }).ToList();
        return new GetClusterWorkerListResponse { Total = data.Count, Data = data };
    }

    /// <summary>Removes an offline worker's registration, binding history and relay assignment.</summary>
    public async Task OfflineWorkerAsync(string name, CancellationToken ct)
    {
        using var entered = await gate.EnterAsync(ct);
        var workers = await WorkerDirectory.ReadAsync(store, ct);
        var worker = workers.FirstOrDefault(w => w.Name == name) ?? throw DmErrors.ErrSchedulerWorkerNotExist.New(name);
        if (worker.Stage != WorkerDirectory.Offline) throw DmErrors.ErrSchedulerWorkerOnline.New(name);
        var result = await store.TxnAsync(
            [Compare.NotExists(MasterKeys.WorkerKeepAlive(name))],
            [
                TxnOp.Delete(MasterKeys.WorkerRegister(name)),
                TxnOp.Delete(MasterKeys.BoundWorker(name)),
                TxnOp.Delete(MasterKeys.RelayWorker(name)),
            ], ct: ct);
        if (!result.Succeeded) throw DmErrors.ErrSchedulerWorkerOnline.New(name);
    }

    private sealed record MasterMember(string Name, string PeerUrl, string AdvertiseAddr);
}
