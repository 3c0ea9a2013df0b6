using System.Diagnostics;
using Dm.TestKit;
using Xunit.Abstractions;

namespace Dm.IntegrationTests.Ha;

/// <summary>
/// A pessimistic shard-DDL lock on three masters (etcd): the leader, with its etcd member, is killed with SIGKILL at a stage
/// of the lock; another master takes over with the lock as the cluster state holds it, the killed one is started again on its
/// data dir, and the lock completes with the DDL applied once and the target equal to the union of the shards
/// (<see cref="ShardDdlCrashScenario"/>).
/// </summary>
public sealed class ShardDdlLeaderCrashTests(TwoSourceMasterCluster cluster, ITestOutputHelper output)
    : ShardDdlCrashScenario(cluster, output), IClassFixture<TwoSourceMasterCluster>
{
    private DmMasterCluster Masters => ((TwoSourceMasterCluster)Cluster).Masters;

    [Theory]
    [InlineData(Stage.PartlySynced)]
    [InlineData(Stage.OwnerExecuting)]
    [InlineData(Stage.Done)]
    public Task The_leader_killed_at_a_stage_of_a_lock_leaves_it_to_complete_with_the_DDL_applied_once_and_no_row_lost(Stage stage) =>
        RunStageAsync(stage, Victim.Master);

    /// <summary>kill -9 of the leader's machine (master and etcd member); once another master leads, the killed one starts again.</summary>
    protected override async Task CrashMasterAsync(Func<Task>? beforeRestart)
    {
        var leader = await Masters.WaitForLeaderAsync();
        var clock = Stopwatch.StartNew();
        leader.Kill();
        var next = await Masters.WaitForLeaderAsync(except: leader, timeout: TimeSpan.FromSeconds(30));
        Output.WriteLine($"killed leader {leader.Name}: {next.Name} leads after {clock.Elapsed.TotalSeconds:0.0} s");
        if (beforeRestart != null) await beforeRestart();
        await leader.RestartAsync();
        await Masters.WaitForLeaderAsync();
    }

    protected override async Task EnsureRunningAsync()
    {
        foreach (var master in Masters.Masters.Where(m => !m.IsRunning)) await master.RestartAsync();
        await Masters.WaitForLeaderAsync();
        await base.EnsureRunningAsync();
    }
}
