using Dm.ClusterState;
using Dm.Contracts;
using Dm.Core.Config;
using Dm.Master.State;
using Dm.Master.Tasks;
using Google.Protobuf.WellKnownTypes;

namespace Dm.Master.Workers;

/// <summary>
/// What one worker should be doing, read from the store: its bound source's config and that source's subtasks, each
/// resolved here into the subtask config of that source (as DM's master splits a task) with its expected stage, and the
/// relay log it pulls (its bound source's when relay is on for it, or the source enable-relay named it for).
/// </summary>
public sealed class DesiredStateReader(IClusterStore store, TaskCompiler compiler)
{
    public async Task<DesiredState> ReadAsync(string worker, CancellationToken ct)
    {
        var revision = await store.GetRevisionAsync(ct);
        var state = new MasterState(store);
        var bound = (await state.BoundsAsync(ct)).FirstOrDefault(b => b.Value == worker).Key;
        var desired = new DesiredState { Revision = revision, BoundSource = bound ?? "" };
        // A worker bound to nothing may still be one of the workers enable-relay named for a source (stage relay).
        var relaySource = bound ?? (await state.RelayWorkersAsync(ct)).FirstOrDefault(r => r.Value.Contains(worker)).Key;
        if (relaySource is null) return desired;
        if (bound is not null) desired.BoundEpoch = await state.BoundEpochAsync(worker, ct);
        var source = await state.SourceAsync(relaySource, ct);
        if (source == null) return desired;

        var sourceConfig = compiler.ToSourceConfig(source);
        var stages = (await state.StagesAsync(ct)).Where(s => s.Source == relaySource).ToDictionary(s => s.Task);
        // Each task of the source resolved once: the bound worker runs it, the relay keeps what its checkpoint needs.
        var resolved = new List<SubtaskAssignment>();
        foreach (var task in (await state.TasksAsync(ct)).Where(t => stages.ContainsKey(t.Name)))
            resolved.Add(new SubtaskAssignment { Task = task.Name }.Resolve(() => TaskConverter.ToSubTask(compiler.Reveal(task.Task), sourceConfig)));
        if (bound is not null)
        {
            desired.Source = ContractMapping.ToMessage(sourceConfig);
            foreach (var assignment in resolved)
            {
                var stage = stages[assignment.Task];
                var args = await state.CliArgsAsync(assignment.Task, bound, ct);
                assignment.ExpectedStage = ContractMapping.ToMessage(stage.Expect);
                assignment.StartGeneration = stage.Generation;
                assignment.MetaGeneration = stage.MetaGeneration;
                assignment.StartTime = args?.StartTime ?? "";
                assignment.SafeModeTimeDuration = SafeModeDuration(args?.SafeModeDuration);
                desired.Subtasks.Add(assignment);
            }
        }
        if (await state.RelayStageAsync(relaySource, ct) is { } relay)
        {
            var assignment = new RelayAssignment
            {
                Source = relaySource,
                Config = ContractMapping.ToMessage(sourceConfig),
                ExpectedStage = ContractMapping.ToMessage(relay.Expect),
                Generation = relay.Generation,
            };
            // A task that cannot be resolved on the source has no checkpoint either: nothing for the relay to keep.
            assignment.Tasks.AddRange(resolved.Where(a => a.ResolvedCase == SubtaskAssignment.ResolvedOneofCase.Config).Select(a => a.Config.Clone()));
            desired.Relay = assignment;
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
