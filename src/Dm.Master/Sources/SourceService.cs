using Dm.ClusterState;
using Dm.Core.Api;
using Dm.Core.Config;
using Dm.Core.Errors;
using Dm.Core.Upstream;
using Dm.Master.Cluster;
using Dm.Master.State;
using Dm.Master.Workers;

namespace Dm.Master.Sources;

/// <summary>
/// Upstream sources: create (learning flavor, server-id and case sensitivity from the upstream), read,
/// update, delete, enable/disable, transfer and relay requests (which workers pull its relay log, pause/resume, purge
/// through those workers), its status (one entry per worker serving it, with its relay log's), and the upstream's
/// schemas and tables.
/// Every change is one store transaction taken under the master gate, so a failed request stores nothing.
/// </summary>
public sealed class SourceService(IClusterStore store, MasterGate gate, PasswordCipher secrets, WorkerStatusBoard reports, WorkerQueryClient workerQueries)
{
    private readonly MasterState _state = new(store);

    public async Task<Source> CreateAsync(CreateSourceRequest request, CancellationToken ct)
    {
        var source = request.Source;
        SourceRules.Validate(source);
        using var entered = await gate.EnterAsync(ct);
        if (await _state.SourceAsync(source.SourceName, ct) != null)
            throw DmErrors.ErrSchedulerSourceCfgExist.New(source.SourceName);
        if (request.WorkerName is { } worker) await RequireFreeWorkerAsync(worker, source.SourceName, ct);

        var usedIds = (await _state.SourcesAsync(ct)).Select(s => s.ServerId).ToHashSet();
        var stored = await InspectAsync(source, source.Password ?? "", usedIds, serverId: null, ct);
        var ops = new List<TxnOp> { MasterState.Put(stored) };
        var compares = new List<Compare> { Compare.NotExists(MasterKeys.Source(source.SourceName)) };
        if (request.WorkerName is { } chosen)
        {
            // Bound at once to the worker the request names (it was checked free above, under the gate).
            compares.Add(Compare.NotExists(MasterKeys.BoundWorker(chosen)));
            ops.Add(MasterState.PutBound(source.SourceName, chosen));
        }
        if (source.RelayConfig?.EnableRelay == true)
            ops.Add(MasterState.Put(new RelayStage(source.SourceName, TaskStage.Running)));
        var result = await store.TxnAsync(compares, ops, ct: ct);
        if (!result.Succeeded) throw DmErrors.ErrSchedulerSourceCfgExist.New(source.SourceName);
        return Present(stored, null, []);
    }

    public async Task<GetSourceListResponse> ListAsync(bool withStatus, bool? enableRelay, CancellationToken ct)
    {
        var sources = await _state.SourcesAsync(ct);
        var tasks = await _state.TasksAsync(ct);
        var data = new List<Source>();
        foreach (var s in sources)
        {
            if (enableRelay is { } wanted && await _state.RelayEnabledAsync(s.Name, ct) != wanted) continue;
            data.Add(Present(s, withStatus ? await StatusListAsync(s.Name, ct) : null, TaskNames(tasks, s.Name)));
        }
        return new GetSourceListResponse { Total = data.Count, Data = data };
    }

    public async Task<Source?> GetAsync(string name, bool withStatus, CancellationToken ct)
    {
        var stored = await _state.SourceAsync(name, ct);
        if (stored == null) return null;
        var tasks = await _state.TasksAsync(ct);
        return Present(stored, withStatus ? await StatusListAsync(name, ct) : null, TaskNames(tasks, name));
    }

    public async Task<Source> UpdateAsync(string name, UpdateSourceRequest request, CancellationToken ct)
    {
        var source = request.Source;
        SourceRules.Validate(source);
        if (source.SourceName != name)
            throw DmErrors.ErrOpenAPICommonError.Wrap(new ArgumentException(
                $"source_name \"{source.SourceName}\" in the body differs from \"{name}\" in the path"));
        using var entered = await gate.EnterAsync(ct);
        var old = await _state.SourceAsync(name, ct) ?? throw DmErrors.ErrSchedulerSourceCfgNotExist.New(name);
        var running = (await _state.StagesAsync(ct)).Any(s => s.Source == name && s.Expect == TaskStage.Running);
        if (running || await _state.RelayEnabledAsync(name, ct))
            throw DmErrors.ErrSchedulerSourceCfgUpdate.New(name);

        var password = source.Password ?? secrets.Reveal(old.Source.Password ?? "");
        var usedIds = (await _state.SourcesAsync(ct)).Where(s => s.Name != name).Select(s => s.ServerId).ToHashSet();
        var stored = await InspectAsync(source, password, usedIds, old.ServerId, ct);
        await store.TxnAsync([Compare.Exists(MasterKeys.Source(name))], [MasterState.Put(stored)], ct: ct);
        return Present(stored, null, []);
    }

    public async Task DeleteAsync(string name, bool force, CancellationToken ct)
    {
        using var entered = await gate.EnterAsync(ct);
        if (await _state.SourceAsync(name, ct) == null) throw DmErrors.ErrSchedulerSourceCfgNotExist.New(name);
        var tasks = (await _state.TasksAsync(ct)).Where(t => t.SourceNames.Contains(name)).ToList();
        if (tasks.Count > 0 && !force)
            throw DmErrors.ErrSchedulerSourceOpTaskExist.New(name, tasks.Select(t => t.Name).ToList());
        var relayWorkers = (await _state.RelayWorkersAsync(ct)).GetValueOrDefault(name) ?? [];
        if (relayWorkers.Count > 0 && !force)
            throw DmErrors.ErrSchedulerSourceOpRelayExist.New(name, relayWorkers);

        var ops = new List<TxnOp>
        {
            TxnOp.Delete(MasterKeys.Source(name)),
            TxnOp.Delete(MasterKeys.RelayStage(name)),
            TxnOp.DeletePrefix(MasterKeys.SubtaskStagesOfSource(name)),
        };
        ops.AddRange(relayWorkers.Select(w => TxnOp.Delete(MasterKeys.RelayWorker(w))));
        foreach (var task in tasks)
        {
            // The task loses this source; a task left with no source is removed with it.
            var remaining = task.Task.SourceConfig.SourceConf.Where(s => s.SourceName != name).ToList();
            if (remaining.Count == 0)
            {
                ops.Add(TxnOp.Delete(MasterKeys.Task(task.Name)));
                ops.Add(TxnOp.DeletePrefix(MasterKeys.TaskCliArgsOfTask(task.Name)));
            }
            else
            {
                ops.Add(TxnOp.Delete(MasterKeys.TaskCliArgs(task.Name, name)));
                ops.Add(MasterState.Put(task with
                {
                    Task = task.Task with { SourceConfig = task.Task.SourceConfig with { SourceConf = remaining } },
                }));
            }
        }
        await store.TxnAsync([Compare.Exists(MasterKeys.Source(name))], ops, ct: ct);
    }

    public async Task<GetSourceStatusResponse> StatusAsync(string name, CancellationToken ct)
    {
        await RequireAsync(name, ct);
        var data = await StatusListAsync(name, ct);
        return new GetSourceStatusResponse { Total = data.Count, Data = data };
    }

    /// <summary>
    /// One entry per worker serving the source (DM's status_list): the bound worker, then the workers pulling its relay log,
    /// each with its relay status and error as its last heartbeat said; one entry without a worker when none serves it.
    /// </summary>
    private async Task<List<SourceStatus>> StatusListAsync(string name, CancellationToken ct)
    {
        var workers = new List<string>();
        if ((await _state.BoundsAsync(ct)).GetValueOrDefault(name) is { } bound) workers.Add(bound);
        workers.AddRange((await _state.RelayingWorkersAsync(name, ct)).Where(w => !workers.Contains(w)));
        if (workers.Count == 0) return [new SourceStatus { SourceName = name, WorkerName = "" }];
        return workers.Select(w => reports.Relay(w, name) is { } relay
            ? new SourceStatus { SourceName = name, WorkerName = w, RelayStatus = relay.Status, ErrorMsg = relay.Error }
            : new SourceStatus { SourceName = name, WorkerName = w }).ToList();
    }

    public async Task EnableAsync(string name, CancellationToken ct)
    {
        using var entered = await gate.EnterAsync(ct);
        var stored = await RequireAsync(name, ct);
        if (!(await _state.BoundsAsync(ct)).ContainsKey(name)) throw DmErrors.ErrWorkerNoStart.New();
        if (stored.Source.Enable) return;
        await store.TxnAsync([], [MasterState.Put(stored with { Source = stored.Source with { Enable = true } })], ct: ct);
    }

    /// <summary>Stops every subtask of the source, then marks it disabled. Idempotent.</summary>
    public async Task DisableAsync(string name, CancellationToken ct)
    {
        using var entered = await gate.EnterAsync(ct);
        var stored = await RequireAsync(name, ct);
        var ops = (await _state.StagesAsync(ct))
            .Where(s => s.Source == name && s.Expect != TaskStage.Stopped)
            .Select(s => MasterState.Put(s with { Expect = TaskStage.Stopped }))
            .ToList();
        if (stored.Source.Enable) ops.Add(MasterState.Put(stored with { Source = stored.Source with { Enable = false } }));
        if (ops.Count > 0) await store.TxnAsync([], ops, ct: ct);
    }

    /// <summary>
    /// Moves the source to another (free) worker. DM moves running tasks only when they are all in the Sync
    /// unit; a task running Dump or Load must be stopped first (46019).
    /// </summary>
    public async Task TransferAsync(string name, WorkerNameRequest request, CancellationToken ct)
    {
        using var entered = await gate.EnterAsync(ct);
        await RequireAsync(name, ct);
        var current = (await _state.BoundsAsync(ct)).GetValueOrDefault(name);
        if (current == request.WorkerName) return;
        await RequireFreeWorkerAsync(request.WorkerName, name, ct);
        var running = (await _state.StagesAsync(ct)).Where(s => s.Source == name && s.Expect == TaskStage.Running).Select(s => s.Task).ToList();
        if (running.Count > 0) throw DmErrors.ErrSchedulerRequireRunningTaskInSyncUnit.New(running, name);

        var ops = new List<TxnOp>();
        var compares = new List<Compare> { Compare.NotExists(MasterKeys.BoundWorker(request.WorkerName)) };
        if (current != null)
        {
            compares.Add(Compare.Exists(MasterKeys.BoundWorker(current)));
            ops.Add(TxnOp.Delete(MasterKeys.BoundWorker(current)));
            ops.Add(TxnOp.Put(MasterKeys.LastBoundWorker(current), name));
        }
        ops.Add(MasterState.PutBound(name, request.WorkerName));
        var result = await store.TxnAsync(compares, ops, ct: ct);
        if (!result.Succeeded) throw DmErrors.ErrSchedulerWorkerNotFree.New(request.WorkerName);
    }

    /// <summary>
    /// Turns relay on for the source: its bound worker pulls the relay log, and so does every worker the request names (a
    /// worker bound to nothing is then in stage relay). A named worker must be free, bound to this source or already
    /// relaying it (46021 / 46020 otherwise); without names the source must be bound (40070). The start point and directory
    /// given are stored in the source's relay config. Enabling again restarts a relay stopped on an error.
    /// </summary>
    public async Task EnableRelayAsync(string name, EnableRelayRequest request, CancellationToken ct)
    {
        using var entered = await gate.EnterAsync(ct);
        var stored = await RequireAsync(name, ct);
        var workers = await RelayWorkerListAsync(name, request.WorkerNameList, ct);
        var bounds = await _state.BoundsAsync(ct);
        var boundElsewhere = workers.Where(w => bounds.Any(b => b.Value == w && b.Key != name)).ToList();
        if (boundElsewhere.Count > 0)
            throw DmErrors.ErrSchedulerRelayWorkersWrongBound.New(string.Join(", ", boundElsewhere),
                string.Join(", ", boundElsewhere.Select(w => bounds.First(b => b.Value == w).Key)));
        var relays = await _state.RelayWorkersAsync(ct);
        var relayingElsewhere = workers.Where(w => relays.Any(r => r.Key != name && r.Value.Contains(w))).ToList();
        if (relayingElsewhere.Count > 0)
            throw DmErrors.ErrSchedulerRelayWorkersBusy.New(string.Join(", ", relayingElsewhere),
                string.Join(", ", relayingElsewhere.Select(w => relays.First(r => r.Value.Contains(w)).Key)));
        var relay = (stored.Source.RelayConfig ?? new RelayConfig()) with
        {
            EnableRelay = true,
            RelayBinlogName = request.RelayBinlogName ?? stored.Source.RelayConfig?.RelayBinlogName,
            RelayBinlogGtid = request.RelayBinlogGtid ?? stored.Source.RelayConfig?.RelayBinlogGtid,
            RelayDir = request.RelayDir ?? stored.Source.RelayConfig?.RelayDir,
        };
        CheckRelayGtid(stored.Source with { RelayConfig = relay });
        var stage = await _state.RelayStageAsync(name, ct);
        var ops = new List<TxnOp>
        {
            MasterState.Put(stored with { Source = stored.Source with { RelayConfig = relay } }),
            MasterState.Put(new RelayStage(name, TaskStage.Running) { Generation = (stage?.Generation ?? 0) + 1 }),
        };
        if (request.WorkerNameList is { Count: > 0 }) ops.AddRange(workers.Select(w => TxnOp.Put(MasterKeys.RelayWorker(w), name)));
        await store.TxnAsync([], ops, ct: ct);
    }

    /// <summary>
    /// Stops the named workers pulling the source's relay log (46022 for a name that does not pull it); without names, or
    /// when no named worker is left, relay goes off for the source, its bound worker included. The files stay on disk.
    /// </summary>
    public async Task DisableRelayAsync(string name, DisableRelayRequest request, CancellationToken ct)
    {
        using var entered = await gate.EnterAsync(ct);
        var stored = await RequireAsync(name, ct);
        if (request.WorkerNameList is not { Count: > 0 } && !await _state.RelayEnabledAsync(name, ct))
        {
            // Nothing to stop: as DM, no names means the bound worker (40070 when there is none).
            await RelayWorkerListAsync(name, null, ct);
            return;
        }
        var named = ((await _state.RelayWorkersAsync(ct)).GetValueOrDefault(name) ?? []).ToList();
        var stopping = named;
        if (request.WorkerNameList is { Count: > 0 } list)
        {
            var workers = await RelayWorkerListAsync(name, list, ct);
            var notRelaying = workers.Where(w => !named.Contains(w)).ToList();
            var bound = (await _state.BoundsAsync(ct)).GetValueOrDefault(name);
            // The bound worker relays while relay is on for its source; naming it alone turns relay off.
            notRelaying.RemoveAll(w => w == bound && named.Count == 0);
            if (notRelaying.Count > 0)
                throw DmErrors.ErrSchedulerRelayWorkersWrongRelay.New(string.Join(", ", notRelaying), name);
            stopping = workers.Where(named.Contains).ToList();
        }
        var ops = stopping.Select(w => TxnOp.Delete(MasterKeys.RelayWorker(w))).ToList();
        if (!named.Except(stopping).Any())
        {
            ops.Add(TxnOp.Delete(MasterKeys.RelayStage(name)));
            var relay = (stored.Source.RelayConfig ?? new RelayConfig()) with { EnableRelay = false };
            ops.Add(MasterState.Put(stored with { Source = stored.Source with { RelayConfig = relay } }));
        }
        await store.TxnAsync([], ops, ct: ct);
    }

    /// <summary>DM#'s pause-relay / resume-relay: the relay workers of the source stop pulling (files and readers stay) or pull again.</summary>
    public async Task SetRelayStageAsync(string name, TaskStage stage, CancellationToken ct)
    {
        using var entered = await gate.EnterAsync(ct);
        await RequireAsync(name, ct);
        var current = await _state.RelayStageAsync(name, ct)
                      ?? throw DmErrors.ErrOpenAPICommonError.Wrap(new InvalidOperationException(
                          $"relay log of source {name} is not pulled by any worker, please `enable-relay` first"));
        var generation = stage == TaskStage.Running ? current.Generation + 1 : current.Generation;
        await store.TxnAsync([], [MasterState.Put(current with { Expect = stage, Generation = generation })], ct: ct);
    }

    /// <summary>
    /// DM's purge-relay: every worker pulling the source's relay log removes its files before <c>relay_binlog_name</c> (in the
    /// sub-directory <c>relay_dir</c> names, the newest by default), unless they are still needed: the first refusal (DM's
    /// 30037 with what needs the file) or unreachable worker is the answer.
    /// </summary>
    public async Task PurgeRelayAsync(string name, PurgeRelayRequest request, CancellationToken ct)
    {
        await RequireAsync(name, ct);
        if (string.IsNullOrWhiteSpace(request.RelayBinlogName))
            throw DmErrors.ErrOpenAPICommonError.Wrap(new ArgumentException("relay_binlog_name must not be empty"));
        var workers = await _state.RelayingWorkersAsync(name, ct);
        if (workers.Count == 0)
            throw DmErrors.ErrOpenAPICommonError.Wrap(new InvalidOperationException(
                $"relay log of source {name} is not pulled by any worker, please `enable-relay` first"));
        DmException? failed = null;
        foreach (var worker in workers)
        {
            try
            {
                var client = await workerQueries.ConnectWorkerAsync(worker, name, ct);
                var purge = new Contracts.PurgeRelayRequest { Source = name, FileName = request.RelayBinlogName, SubDir = request.RelayDir ?? "" };
                await WorkerQueryClient.CallAsync(name, () => client.PurgeRelayAsync(purge, workerQueries.Options(ct)), r => r.Error);
            }
            catch (DmException e)
            {
                failed ??= e;
            }
        }
        if (failed is not null) throw failed;
    }

    public async Task<List<string>> SchemasAsync(string name, CancellationToken ct)
    {
        var stored = await RequireAsync(name, ct);
        await using var inspector = await UpstreamInspector.ConnectAsync(Endpoint(stored), ct);
        return (await inspector.ListSchemasAsync(ct)).ToList();
    }

    public async Task<List<string>> TablesAsync(string name, string schema, CancellationToken ct)
    {
        var stored = await RequireAsync(name, ct);
        await using var inspector = await UpstreamInspector.ConnectAsync(Endpoint(stored), ct);
        return (await inspector.ListBaseTablesAsync(schema, ct)).ToList();
    }

    public async Task<StoredSource> RequireAsync(string name, CancellationToken ct) =>
        await _state.SourceAsync(name, ct) ?? throw DmErrors.ErrSchedulerSourceCfgNotExist.New(name);

    /// <summary>How to reach the source's upstream, with the stored password revealed.</summary>
    public DatabaseEndpoint Endpoint(StoredSource stored) =>
        SourceRules.Endpoint(stored.Source with { Security = secrets.RevealKey(stored.Source.Security) }, secrets.Reveal(stored.Source.Password ?? ""));

    /// <summary>Learns flavor, server-id and case sensitivity from the upstream (DM's source adjust) and builds the record.</summary>
    private async Task<StoredSource> InspectAsync(Source source, string password, IReadOnlySet<uint> usedIds, uint? serverId,
        CancellationToken ct)
    {
        // The password may be dmctl encrypt's cipher text: the upstream gets it decrypted, the store as given.
        var adjusted = await SourceProbe.AdjustAsync(SourceRules.Endpoint(source with { Security = secrets.RevealKey(source.Security) }, secrets.Reveal(password)),
            source.Flavor ?? "", serverId ?? 0,
            source.EnableGtid, usedIds, ct);
        CheckRelayGtid(source with { Flavor = adjusted.Flavor });
        return new StoredSource
        {
            Source = source with
            {
                Flavor = adjusted.Flavor,
                Password = secrets.Protect(password),
                Security = secrets.ProtectKey(source.Security),
                StatusList = null,
                TaskNameList = null,
            },
            ServerId = adjusted.ServerId,
            CaseSensitive = adjusted.CaseSensitive,
        };
    }

    // A relay start GTID of the other flavor is refused now rather than when the relay starts.
    private static void CheckRelayGtid(Source source) => RelayStartGtid.Check(source.Flavor ?? "", source.RelayConfig?.RelayBinlogGtid ?? "",
        source.EnableGtid, source.RelayConfig?.RelayBinlogName ?? "");

    /// <summary>The worker must be free, or one pulling <paramref name="source"/>'s relay log (DM lets a source move to its relay worker).</summary>
    private async Task RequireFreeWorkerAsync(string worker, string source, CancellationToken ct)
    {
        var view = (await WorkerDirectory.ReadAsync(store, ct)).FirstOrDefault(w => w.Name == worker)
                   ?? throw DmErrors.ErrSchedulerWorkerNotExist.New(worker);
        if (view.Stage == WorkerDirectory.Free) return;
        if (view.Stage == WorkerDirectory.Relay && view.RelaySource == source) return;
        if (view.Stage == WorkerDirectory.Relay) throw DmErrors.ErrSchedulerBoundDiffWithStartedRelay.New(worker, source, view.RelaySource);
        throw DmErrors.ErrSchedulerWorkerNotFree.New(worker);
    }

    /// <summary>The workers a relay request names, or the source's bound worker when it names none.</summary>
    private async Task<List<string>> RelayWorkerListAsync(string source, List<string>? requested, CancellationToken ct)
    {
        var workers = await WorkerDirectory.ReadAsync(store, ct);
        if (requested is { Count: > 0 })
        {
            foreach (var w in requested)
                if (workers.All(v => v.Name != w)) throw DmErrors.ErrSchedulerWorkerNotExist.New(w);
            return requested.Distinct(StringComparer.Ordinal).ToList();
        }
        var bound = (await _state.BoundsAsync(ct)).GetValueOrDefault(source) ?? throw DmErrors.ErrWorkerNoStart.New();
        return [bound];
    }

    private static List<string> TaskNames(IEnumerable<StoredTask> tasks, string source) =>
        tasks.Where(t => t.SourceNames.Contains(source)).Select(t => t.Name).ToList();

    /// <summary>The API view: password hidden, status and task names only when asked for (a status list given).</summary>
    private static Source Present(StoredSource stored, List<SourceStatus>? statusList, List<string> taskNames) =>
        PasswordMask.Hide(stored.Source) with
        {
            StatusList = statusList,
            TaskNameList = statusList is null ? null : taskNames,
        };
}
