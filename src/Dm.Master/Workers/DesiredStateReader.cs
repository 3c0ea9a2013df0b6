using Dm.ClusterState;
using Dm.Contracts;
using Dm.Core.Config;
using Dm.Master.State;
using Dm.Master.Tasks;
using Google.Protobuf.WellKnownTypes;

namespace Dm.Master.Workers;

/// <summary>
/// What one worker should be doing, read from the store: its bound source's config and that source's subtasks, each
/// resolved here into the subtask config of that source (as DM's master splits a task) with its expected stage.
/// </summary>
public sealed class DesiredStateReader(IClusterStore store, TaskCompiler compiler)
{
    public async Task<DesiredState> ReadAsync(string worker, CancellationToken ct)
    {
        var revision = await store.GetRevisionAsync(ct);
        var state = new MasterState(store);
        var bound = (await state.BoundsAsync(ct)).FirstOrDefault(b => b.Value == worker).Key;
        var desired = new DesiredState { Revision = revision, BoundSource = bound ?? "" };
        if (bound == null) return desired;
        desired.BoundEpoch = await state.BoundEpochAsync(worker, ct);
        var source = await state.SourceAsync(bound, ct);
        if (source == null) return desired;

        var sourceConfig = compiler.ToSourceConfig(source);
        desired.Source = ContractMapping.ToMessage(sourceConfig);
        desired.RelayEnabled = await state.RelayEnabledAsync(bound, ct);
        var stages = (await state.StagesAsync(ct)).Where(s => s.Source == bound).ToDictionary(s => s.Task);
        foreach (var task in await state.TasksAsync(ct))
        {
            if (!stages.TryGetValue(task.Name, out var stage)) continue;
            var args = await state.CliArgsAsync(task.Name, bound, ct);
            desired.Subtasks.Add(new SubtaskAssignment
            {
                Task = task.Name,
                ExpectedStage = ContractMapping.ToMessage(stage.Expect),
                StartGeneration = stage.Generation,
                MetaGeneration = stage.MetaGeneration,
                StartTime = args?.StartTime ?? "",
                SafeModeTimeDuration = SafeModeDuration(args?.SafeModeDuration),
            }.Resolve(() => TaskConverter.ToSubTask(compiler.Reveal(task.Task), sourceConfig)));
        }
        return desired;
    }

    /// <summary>start-task's safe_mode_time_duration, a Go duration checked when the task started; null when not given.</summary>
    private static Duration? SafeModeDuration(string? text) =>
        text is { Length: > 0 } && GoDuration.TryParse(text, out var duration) ? Duration.FromTimeSpan(duration) : null;

    /// <summary>Whether two states ask for the same thing (revisions aside).</summary>
    public static bool SameWork(DesiredState a, DesiredState b)
    {
        var x = a.Clone();
        var y = b.Clone();
        x.Revision = y.Revision = 0;
        return x.Equals(y);
    }
}
