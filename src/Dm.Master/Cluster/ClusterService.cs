using System.Security.Cryptography;
using System.Text.Json;
using Dm.ClusterState;
using Dm.ClusterState.Etcd;
using Dm.Core.Api;
using Dm.Core.Errors;
using Dm.Master.Api;
using Dm.Master.Ha;
using Dm.Master.Hosting;
using Dm.Master.State;

namespace Dm.Master.Cluster;

/// <summary>
/// Cluster id and topology, the master members and the workers' registrations. Each master records itself as a member
/// when it starts (with its running config); it is alive while its election session lasts, and the leader is the
/// election's. Offlining a master removes its record, its candidacy and, for a cluster of etcd members the masters run,
/// its etcd member.
/// </summary>
public sealed class ClusterService([FromKeyedServices(MasterStores.Unguarded)] IClusterStore unguarded, IClusterStore store, MasterOptions options,
    ClusterSetup setup, MasterGate gate)
{
    /// <summary>
    /// Makes sure the cluster has an id (the first master to start generates it) and this master is a member: written
    /// whether this master leads or not.
    /// </summary>
    public async Task InitialiseAsync(CancellationToken ct)
    {
        var id = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) >> 1;
        await unguarded.TxnAsync([Compare.NotExists(MasterKeys.ClusterId)],
            [TxnOp.Put(MasterKeys.ClusterId, id.ToString(System.Globalization.CultureInfo.InvariantCulture))], ct: ct);
        var member = new MasterMember(options.Name, setup.AdvertisePeerUrls.FirstOrDefault() ?? options.EffectiveAdvertisePeerUrls.Split(',')[0], options.EffectiveAdvertiseAddr,
            MasterConfigToml.Render(options));
        await unguarded.PutAsync(MasterKeys.MasterMember(options.Name), JsonSerializer.Serialize(member, StateJson.Options), ct: ct);
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
        var members = await MembersAsync(ct);
        var alive = await AliveAsync(ct);
        var leader = await LeaderAsync(ct);
        var data = members
            .Select(m => new ClusterMaster { Name = m.Name, Alive = alive.Contains(m.Name), Leader = m.Name == leader, Addr = m.PeerUrl })
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ToList();
        return new GetClusterMasterListResponse { Total = data.Count, Data = data };
    }

    /// <summary>A member's running config as its TOML (recorded when it started); DM's 38048 for an unknown name.</summary>
    public async Task<string> MasterConfigAsync(string name, CancellationToken ct) =>
        (await MembersAsync(ct)).FirstOrDefault(m => m.Name == name)?.Config ?? throw DmErrors.ErrMasterMasterNameNotExist.New(name);

    /// <summary>
    /// Removes a master that is down from the cluster: refused for the leader (as DM does) and for a master still alive.
    /// </summary>
    public async Task OfflineMasterAsync(string name, CancellationToken ct)
    {
        using var entered = await gate.EnterAsync(ct);
        var member = (await MembersAsync(ct)).FirstOrDefault(m => m.Name == name) ?? throw DmErrors.ErrMasterMasterNameNotExist.New(name);
        if (await LeaderAsync(ct) == name)
            throw DmErrors.ErrOpenAPICommonError.Wrap(new InvalidOperationException(
                $"dm-master {name} is the leader and cannot be taken offline; evict it first (dmctl operate-leader evict, sent to it) or stop it"));
        if ((await AliveAsync(ct)).Contains(name))
            throw DmErrors.ErrOpenAPICommonError.Wrap(new InvalidOperationException(
                $"dm-master {name} is still alive; stop it first (a master is offline once its election session of election-ttl has expired)"));
        if (setup.Kind == ClusterStateKind.EtcdMember && unguarded is EtcdClusterStore etcd)
        {
            var etcdMember = (await etcd.ListMembersAsync(ct)).FirstOrDefault(m => m.Name == name || m.PeerUrls.Contains(member.PeerUrl));
            if (etcdMember != null)
            {
                try
                {
                    await etcd.RemoveMemberAsync(etcdMember.Id, ct);
                }
                catch (ClusterStoreException e) when (e is not ClusterStoreUnavailableException)
                {
                    throw DmErrors.ErrOpenAPICommonError.Wrap(new InvalidOperationException($"etcd refused to remove the member of dm-master {name}: {e.Message}", e));
                }
            }
        }
        var ops = new List<TxnOp> { TxnOp.Delete(MasterKeys.MasterMember(name)), TxnOp.Delete(MasterKeys.MasterAlive(name)) };
        ops.AddRange((await store.GetPrefixAsync(MasterKeys.LeaderElection + "/", ct)).Kvs
            .Where(kv => LeaderInfo.Of(kv)?.Name == name).Select(kv => TxnOp.Delete(kv.Key)));
        await store.TxnAsync([], ops, ct: ct);
    }

    private async Task<IReadOnlyList<MasterMember>> MembersAsync(CancellationToken ct) =>
        (await store.GetPrefixAsync(MasterKeys.MasterMemberPrefix, ct)).Kvs
            .Select(kv => JsonSerializer.Deserialize<MasterMember>(kv.Value, StateJson.Options)!).ToList();

    private async Task<HashSet<string>> AliveAsync(CancellationToken ct) =>
        (await store.GetPrefixAsync(MasterKeys.MasterAlivePrefix, ct)).Kvs.Select(kv => MasterKeys.LastName(kv.Key)).ToHashSet(StringComparer.Ordinal);

    private async Task<string?> LeaderAsync(CancellationToken ct) =>
        await new Election(store, MasterKeys.LeaderElection).GetLeaderAsync(ct) is { } kv ? LeaderInfo.Of(kv)?.Name : null;

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

    /// <summary>A master as it recorded itself at start; <see cref="Config"/> is its settings as the TOML its --config reads.</summary>
    private sealed record MasterMember(string Name, string PeerUrl, string AdvertiseAddr, string? Config);
}
