using Dm.ClusterState;
using Dm.Core.Contracts;
using Dm.Master.State;
using Dm.Master.Tasks;

namespace Dm.Master.Workers;

/// <summary>What one worker should be doing, read from the store: its bound source and that source's subtasks with their expected stages.</summary>
public sealed class DesiredStateReader(IClusterStore store, TaskCompiler compiler)
{
    public async Task<DesiredState> ReadAsync(string worker, CancellationToken ct)
    {
        var revision = await store.GetRevisionAsync(ct);
        var state = new MasterState(store);
        var bound = (await state.BoundsAsync(ct)).FirstOrDefault(b => b.Value == worker).Key;
        var desired = new DesiredState { Revision = revision, BoundSource = bound ?? "" };
        if (bound == null) return desired;
        var source = await state.SourceAsync(bound, ct);
        if (source == null) return desired;

        desired.SourceConfigYaml = compiler.ToSourceConfig(source).ToYaml();
        desired.RelayEnabled = await state.RelayEnabledAsync(bound, ct);
        var stages = (await state.StagesAsync(ct)).Where(s => s.Source == bound).ToDictionary(s => s.Task);
        foreach (var task in await state.TasksAsync(ct))
        {
            if (!stages.TryGetValue(task.Name, out var stage)) continue;
            var args = await state.CliArgsAsync(task.Name, bound, ct);
            desired.Subtasks.Add(new SubtaskAssignment
            {
                Task = task.Name,
                TaskJson = Dm.Core.Api.ApiJson.Serialize(compiler.Reveal(task.Task)),
                ExpectedStage = stage.Expect.ToString(),
                StartGeneration = stage.Generation,
                StartTime = args?.StartTime ?? "",
                SafeModeTimeDuration = args?.SafeModeDuration ?? "",
            });
        }
        return desired;
    }

    /// <summary>Whether two states ask for the same thing (revisions aside).</summary>
    public static bool SameWork(DesiredState a, DesiredState b)
    {
        var x = a.Clone();
        var y = b.Clone();
        x.Revision = y.Revision = 0;
        return x.Equals(y);
    }
}
