using Xunit.Sdk;

namespace Dm.TestKit.Workloads;

/// <summary>Waits until a target holds exactly what the source holds in the workload's schemas, or fails with every difference.</summary>
public static class Convergence
{
    private static readonly TimeSpan StableFor = TimeSpan.FromSeconds(20);

    /// <param name="stillHealthy">checked between comparisons, e.g. that the task has not paused; throws to fail early.</param>
    /// <param name="describe">the replicator's state, appended to a failure (e.g. the task's status).</param>
    public static async Task AssertConvergesAsync(MariaDbServer source, MariaDbServer target, RandomWorkload workload, TimeSpan timeout,
        Func<Task>? stillHealthy = null, bool compareDefinitions = true, Func<Task<string>>? describe = null, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        IReadOnlyList<string> differences;
        var unchangedSince = DateTime.UtcNow;
        var previous = "";
        while (true)
        {
            await using (var s = await source.OpenAsync(cancellationToken: cancellationToken))
            await using (var t = await target.OpenAsync(cancellationToken: cancellationToken))
                differences = await WorkloadComparison.DifferencesAsync(s, t, workload.Tables.Schemas, compareDefinitions, cancellationToken);
            if (differences.Count == 0) return;
            // The same differences for a while: the target has stopped moving, so waiting longer cannot help.
            var now = string.Join("\n", differences);
            // A statement running on the target (a long keyless-table transaction) is movement the tables do not show yet.
            if (now != previous || await ServerActivity.IsBusyAsync(target, cancellationToken)) (previous, unchangedSince) = (now, DateTime.UtcNow);
            if (DateTime.UtcNow >= deadline || DateTime.UtcNow - unchangedSince > StableFor) break;
            if (stillHealthy != null) await stillHealthy();
            await Task.Delay(500, cancellationToken);
        }
        throw new XunitException($"the target did not converge to the source (waited up to {timeout.TotalSeconds:0}s, stops early once nothing changes for {StableFor.TotalSeconds:0}s) " +
            $"(workload seed {workload.Options.Seed}; DM_WORKLOAD_SEED={workload.Options.Seed} replays it); {differences.Count} difference(s):\n" +
            string.Join("\n", differences.Take(20)) + (describe == null ? "" : "\n" + await describe()) +
            "\n" + await ServerActivity.DescribeAsync(target, cancellationToken));
    }
}
