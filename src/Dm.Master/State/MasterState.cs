using System.Text.Json;
using Dm.ClusterState;
using Dm.Core.Api;

namespace Dm.Master.State;

/// <summary>Typed reads of the master's records in the cluster store, and the ops that write them.</summary>
public sealed class MasterState(IClusterStore store)
{
    public IClusterStore Store => store;

    public async Task<StoredSource?> SourceAsync(string name, CancellationToken ct)
    {
        var kv = (await store.GetAsync(MasterKeys.Source(name), ct)).Kv;
        return kv == null ? null : Decode<StoredSource>(kv);
    }

    public async Task<IReadOnlyList<StoredSource>> SourcesAsync(CancellationToken ct) =>
        (await store.GetPrefixAsync(MasterKeys.SourcePrefix, ct)).Kvs.Select(Decode<StoredSource>)
            .OrderBy(s => s.Name, StringComparer.Ordinal).ToList();

    public async Task<StoredTask?> TaskAsync(string name, CancellationToken ct)
    {
        var kv = (await store.GetAsync(MasterKeys.Task(name), ct)).Kv;
        return kv == null ? null : Decode<StoredTask>(kv);
    }

    public async Task<IReadOnlyList<StoredTask>> TasksAsync(CancellationToken ct) =>
        (await store.GetPrefixAsync(MasterKeys.TaskPrefix, ct)).Kvs.Select(Decode<StoredTask>)
            .OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

    /// <summary>start-task's start_time / safe_mode_time_duration for one subtask, or null.</summary>
    public async Task<TaskCliArgs?> CliArgsAsync(string task, string source, CancellationToken ct)
    {
        var kv = (await store.GetAsync(MasterKeys.TaskCliArgs(task, source), ct)).Kv;
        return kv == null ? null : Decode<TaskCliArgs>(kv);
    }

    public async Task<IReadOnlyList<SubtaskStage>> StagesAsync(CancellationToken ct) =>
        (await store.GetPrefixAsync(MasterKeys.SubtaskStagePrefix, ct)).Kvs.Select(Decode<SubtaskStage>).ToList();

    /// <summary>Source name → the worker it is bound to.</summary>
    public async Task<IReadOnlyDictionary<string, string>> BoundsAsync(CancellationToken ct) =>
        (await store.GetPrefixAsync(MasterKeys.BoundWorkerPrefix, ct)).Kvs
            .Select(kv => JsonSerializer.Deserialize<Cluster.WorkerDirectory.SourceBound>(kv.Value, StateJson.Options)!)
            .ToDictionary(b => b.Source, b => b.Worker, StringComparer.Ordinal);

    /// <summary>
    /// The epoch of the worker's binding: the revision that created its bound key (a source bound again, to this worker or
    /// another, gets a later one); 0 when the worker is not bound.
    /// </summary>
    public async Task<long> BoundEpochAsync(string worker, CancellationToken ct) =>
        (await store.GetAsync(MasterKeys.BoundWorker(worker), ct)).Kv?.CreateRevision ?? 0;

    /// <summary>Binds <paramref name="source"/> to <paramref name="worker"/> (the worker's bound key).</summary>
    public static TxnOp PutBound(string source, string worker) => TxnOp.Put(MasterKeys.BoundWorker(worker),
        JsonSerializer.Serialize(new Cluster.WorkerDirectory.SourceBound(source, worker), StateJson.Options));

    /// <summary>Source name → workers assigned to pull its relay log.</summary>
    public async Task<IReadOnlyDictionary<string, List<string>>> RelayWorkersAsync(CancellationToken ct) =>
        (await store.GetPrefixAsync(MasterKeys.RelayWorkerPrefix, ct)).Kvs
            .GroupBy(kv => kv.ValueString, kv => MasterKeys.LastName(kv.Key))
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

    public async Task<bool> RelayEnabledAsync(string source, CancellationToken ct) => await RelayStageAsync(source, ct) is not null;

    /// <summary>The relay stage the master expects of <paramref name="source"/>; null when relay is off for it.</summary>
    public async Task<RelayStage?> RelayStageAsync(string source, CancellationToken ct)
    {
        var kv = (await store.GetAsync(MasterKeys.RelayStage(source), ct)).Kv;
        if (kv is null) return null;
        // Stores written before relay stages had generations hold the stage's name alone.
        return kv.Value.Length > 0 && kv.Value[0] == (byte)'{'
            ? Decode<RelayStage>(kv)
            : new RelayStage(source, Enum.TryParse<TaskStage>(kv.ValueString, out var stage) ? stage : TaskStage.Running);
    }

    /// <summary>
    /// The workers that pull <paramref name="source"/>'s relay log: while relay is on for it, its bound worker and the workers
    /// enable-relay named for it (bound worker first).
    /// </summary>
    public async Task<IReadOnlyList<string>> RelayingWorkersAsync(string source, CancellationToken ct)
    {
        if (!await RelayEnabledAsync(source, ct)) return [];
        var workers = new List<string>();
        if ((await BoundsAsync(ct)).GetValueOrDefault(source) is { } bound) workers.Add(bound);
        workers.AddRange(((await RelayWorkersAsync(ct)).GetValueOrDefault(source) ?? []).Order(StringComparer.Ordinal).Where(w => !workers.Contains(w)));
        return workers;
    }

    public static TxnOp Put(StoredSource source) => TxnOp.Put(MasterKeys.Source(source.Name), Encode(source));
    public static TxnOp Put(StoredTask task) => TxnOp.Put(MasterKeys.Task(task.Name), Encode(task));
    public static TxnOp Put(RelayStage stage) => TxnOp.Put(MasterKeys.RelayStage(stage.Source), Encode(stage));
    public static TxnOp Put(SubtaskStage stage) => TxnOp.Put(MasterKeys.SubtaskStage(stage.Source, stage.Task), Encode(stage));

    public static byte[] Encode<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, ApiJson.Options);

    public static T Decode<T>(KeyValue kv) => JsonSerializer.Deserialize<T>(kv.Value, ApiJson.Options)
        ?? throw new InvalidDataException($"cluster store key {kv.Key} holds null");
}
