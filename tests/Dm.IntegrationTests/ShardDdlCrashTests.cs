using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Dm.IntegrationTests;

/// <summary>
/// kill -9 of a worker or of the master (one master on its local store, restarted on its data dir) at each stage of a
/// pessimistic shard-DDL lock, a task stopped and started with a lock open, and a worker killed after one lock of its source
/// resolved while another group kept its checkpoint before it: every time the lock completes, the DDL is applied once and
/// the target holds the union of the shards (<see cref="ShardDdlCrashScenario"/>).
/// </summary>
public sealed class ShardDdlCrashTests(TwoSourceCluster cluster, ITestOutputHelper output)
    : ShardDdlCrashScenario(cluster, output), IClassFixture<TwoSourceCluster>
{
    [Theory]
    [InlineData(Stage.Created, Victim.Worker)]
    [InlineData(Stage.Created, Victim.Master)]
    [InlineData(Stage.PartlySynced, Victim.Worker)]
    [InlineData(Stage.PartlySynced, Victim.Master)]
    [InlineData(Stage.OwnerExecuting, Victim.Worker)]
    [InlineData(Stage.OwnerExecuting, Victim.Master)]
    [InlineData(Stage.Done, Victim.Worker)]
    [InlineData(Stage.Done, Victim.Master)]
    public Task A_kill_9_at_each_stage_of_a_lock_leaves_it_to_complete_with_the_DDL_applied_once_and_no_row_lost(Stage stage, Victim victim) =>
        RunStageAsync(stage, victim);

    [Fact]
    public async Task A_task_stopped_and_started_with_a_lock_open_completes_the_lock_and_converges()
    {
        var clock = Stopwatch.StartNew();
        var c = await BeginAsync("crash-stop");
        using var stop = new CancellationTokenSource();
        var workload = WorkloadAsync(c, stop.Token);
        await AlterAsync(c, (1, "t1"), (1, "t2"), (2, "t1"));
        await WaitForLockAsync(c, l => Names(l["synced"]).SequenceEqual([TwoSourceCluster.Source1]));
        await Cluster.Env.StopTaskAsync(c.Task);
        await Cluster.WaitForAllAsync(c.Task, "stopped", s => s["stage"]!.GetValue<string>() is "Paused" or "Stopped", Timeout);
        // Stopping pauses the task: the lock stays, and the last shard reaches the DDL while the task is stopped.
        await WaitForLockAsync(c, l => Names(l["synced"]).SequenceEqual([TwoSourceCluster.Source1]));
        await Task.Delay(300);
        await AlterAsync(c, (2, "t2"));
        await Task.Delay(300);
        await Cluster.Env.StartTaskAsync(c.Task);
        await Cluster.WaitForAllAsync(c.Task, "running again", TwoSourceCluster.InSync, Timeout);
        await FinishAsync(c, stop, workload, clock, "stop/start with the lock open");
    }

    [Fact]
    public async Task A_task_stopped_while_the_owner_executes_the_DDL_and_started_again_completes_the_lock_and_converges()
    {
        var clock = Stopwatch.StartNew();
        var c = await BeginAsync("crash-stop-exec");
        using var stop = new CancellationTokenSource();
        var workload = WorkloadAsync(c, stop.Token);
        var metadataLock = await HoldMetadataLockAsync(c);
        try
        {
            await AlterAsync(c, AllShards);
            await WaitForAlterWaitingAsync(c);
            // Stopped while its ALTER waits on the target: the subtask stops (its statement cancelled), the lock stays.
            await Cluster.Env.StopTaskAsync(c.Task);
            await Cluster.WaitForAllAsync(c.Task, "stopped", s => s["stage"]!.GetValue<string>() is "Paused" or "Stopped", Timeout);
            Output.WriteLine($"after the stop: {await AltersWaitingAsync(c)} ALTER waiting on the target's metadata lock");
            await WaitForLockAsync(c, l => l["unsynced"]!.AsArray().Count == 0 && l["done"]!.AsArray().Count == 0);
        }
        finally
        {
            await ReleaseAsync(metadataLock);
        }
        await Cluster.Env.StartTaskAsync(c.Task);
        await Cluster.WaitForAllAsync(c.Task, "running again", TwoSourceCluster.InSync, Timeout);
        await FinishAsync(c, stop, workload, clock, "stop/start while the owner executes");
    }

    [Fact]
    public async Task A_worker_killed_after_one_lock_resolved_while_another_is_open_does_not_open_the_resolved_one_again()
    {
        var clock = Stopwatch.StartNew();
        var other = new Merge("other", "u", "c3");
        var c = await BeginAsync("crash-two", Main, other);
        using var stop = new CancellationTokenSource();
        var workload = WorkloadAsync(c, stop.Token);
        // Source 1's group of `merged` meets the DDL on t1 (its checkpoint stays before it until the group's lock is resolved);
        // the lock of `other` opens and resolves meanwhile.
        await AlterAsync(c, (1, "t1"));
        await MigrationEnvironment.WaitForAsync(async () =>
            (await Cluster.StatusesAsync(c.Task))[TwoSourceCluster.Source1]["sync_status"]?["unresolved_groups"] is JsonArray { Count: 1 },
            "source 1's group of `merged` partly synced", Timeout);
        await AlterAsync(c, other, other.Shards);
        await MigrationEnvironment.WaitForAsync(async () => (await ColumnsAsync(Cluster.Target, c.Target, other.Table)).Contains(other.Column)
            && (await LocksAsync(c)).Count == 0, "the lock of `other` resolved", Timeout);
        await Task.Delay(1500); // source 1 reported it done, and flushed its checkpoint (still pinned before `merged`'s lock)
        // Restarted, source 1 reads `other`'s DDL again: it must not open a lock that the other source, long past it, never joins.
        await CrashAsync(Victim.Worker, TwoSourceCluster.Source1);
        await Task.Delay(2000);
        await AlterAsync(c, (1, "t2"), (2, "t1"), (2, "t2"));
        await FinishAsync(c, stop, workload, clock, "two locks, kill -9 after one resolved");
    }

    [Fact]
    public async Task The_owner_killed_after_it_executed_the_DDL_and_before_the_master_heard_of_it_still_completes_the_lock()
    {
        var clock = Stopwatch.StartNew();
        var c = await BeginAsync("crash-unheard");
        using var stop = new CancellationTokenSource();
        var workload = WorkloadAsync(c, stop.Token);
        var metadataLock = await HoldMetadataLockAsync(c);
        await AlterAsync(c, AllShards);
        await WaitForAlterWaitingAsync(c);
        await WaitForLockAsync(c, l => l["unsynced"]!.AsArray().Count == 0);
        // The master goes down; the owner's ALTER then runs, its checkpoint moves past the DDL, and its report waits for a master.
        Cluster.Master.Kill();
        await ReleaseAsync(metadataLock);
        await MigrationEnvironment.WaitForAsync(async () => (await ColumnsAsync(Cluster.Target, c.Target, Main.Table)).Contains(Main.Column),
            "the owner's ALTER applied", Timeout);
        await Task.Delay(2000);
        var owner = Cluster.WorkerOf(TwoSourceCluster.Source1);
        owner.Kill();
        await Cluster.Master.RestartAsync();
        await owner.RestartAsync();
        await FinishAsync(c, stop, workload, clock, "owner killed with its report unheard");
    }
}
