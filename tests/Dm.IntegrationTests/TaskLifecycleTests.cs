using Dm.TestKit;

namespace Dm.IntegrationTests;

/// <summary>
/// Stage changes of running full tasks: stop and start mid-copy, a target that goes away and comes back,
/// and two workers copying two sources at once. Each ends with the target compared to its source.
/// </summary>
public sealed class TaskLifecycleTests
{
    [Fact]
    public async Task StopAndStartMidCopyResumesToAnExactCopy()
    {
        await using var env = await MigrationEnvironment.StartAsync("life-master-1", 51, 400_000);
        await using var worker = await DmWorkerProcess.StartAsync("life-worker-1", [env.Master]);
        await env.CreateSourceAsync("src-1", env.Upstream);
        await env.CreateTaskAsync("stop-start", "src-1", "shop", "shop_stop", importThreads: 2);
        await env.StartTaskAsync("stop-start");
        await MigrationEnvironment.WaitForAsync(async () => await env.TargetRowsAsync("shop_stop") > 0
            || (await env.StatusAsync("stop-start"))["stage"]!.GetValue<string>() == "Finished", "rows in the target", TimeSpan.FromMinutes(2));

        await env.StopTaskAsync("stop-start");
        var paused = await env.StatusAsync("stop-start");
        if (paused["stage"]!.GetValue<string>() != "Finished")
            await env.WaitForStageAsync("stop-start", "Paused", TimeSpan.FromSeconds(30));
        await env.StartTaskAsync("stop-start");
        await env.WaitForStageAsync("stop-start", "Finished", TimeSpan.FromMinutes(3));
        await env.AssertCopiedAsync(env.Upstream, "shop", "shop_stop");
    }

    [Fact]
    public async Task UnreachableTargetPausesWithAnErrorAndResumesWhenItReturns()
    {
        await using var env = await MigrationEnvironment.StartAsync("life-master-2", 53, 50_000);
        await using var worker = await DmWorkerProcess.StartAsync("life-worker-2", [env.Master]);
        await env.CreateSourceAsync("src-2", env.Upstream);
        await env.CreateTaskAsync("target-gone", "src-2", "shop", "shop_gone");
        await env.Target.StopAsync();

        await env.StartTaskAsync("target-gone");
        var paused = await env.WaitForStageAsync("target-gone", "Paused", TimeSpan.FromMinutes(1),
            s => s["error_msg"]?.GetValue<string>() is { Length: > 0 });
        Assert.Contains("code=", paused["error_msg"]!.GetValue<string>());

        await env.Target.RestartAsync();
        await env.WaitForStageAsync("target-gone", "Finished", TimeSpan.FromMinutes(3));
        await env.AssertCopiedAsync(env.Upstream, "shop", "shop_gone");
    }

    [Fact]
    public async Task TwoWorkersCopyTwoSourcesAtOnce()
    {
        await using var env = await MigrationEnvironment.StartAsync("life-master-3", 55, 60_000);
        await using var second = await MariaDbServer.StartAsync(new MariaDbOptions { ServerId = 57 });
        await MigrationEnvironment.SeedAsync(second, "shop", 40_000);
        await using var w1 = await DmWorkerProcess.StartAsync("pair-worker-1", [env.Master]);
        await using var w2 = await DmWorkerProcess.StartAsync("pair-worker-2", [env.Master]);
        await env.CreateSourceAsync("pair-src-1", env.Upstream);
        await env.CreateSourceAsync("pair-src-2", second);
        await env.CreateTaskAsync("pair-task-1", "pair-src-1", "shop", "shop_one");
        await env.CreateTaskAsync("pair-task-2", "pair-src-2", "shop", "shop_two");
        await env.StartTaskAsync("pair-task-1");
        await env.StartTaskAsync("pair-task-2");

        var one = await env.WaitForStageAsync("pair-task-1", "Finished", TimeSpan.FromMinutes(3));
        var two = await env.WaitForStageAsync("pair-task-2", "Finished", TimeSpan.FromMinutes(3));
        Assert.NotEqual(one["worker_name"]!.GetValue<string>(), two["worker_name"]!.GetValue<string>());
        await env.AssertCopiedAsync(env.Upstream, "shop", "shop_one");
        await env.AssertCopiedAsync(second, "shop", "shop_two");
    }
}
