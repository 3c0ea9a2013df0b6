using System.Net.Http.Json;
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

    [Fact]
    public async Task StartWithRemoveMetaOnARunningTaskStopsItFirstAndCopiesAgainFromScratch()
    {
        await using var env = await MigrationEnvironment.StartAsync("life-master-4", 59, 20_000);
        await using var worker = await DmWorkerProcess.StartAsync("life-worker-4", [env.Master]);
        await env.CreateSourceAsync("src-4", env.Upstream);
        await env.CreateTaskAsync(new
        {
            task = new
            {
                name = "again", task_mode = "all", meta_schema = "dm_meta", enhance_online_schema_change = false, on_duplicate = "replace",
                target_config = new { host = env.Target.Host, port = env.Target.Port, user = env.Target.User, password = env.Target.Password },
                table_migrate_rule = new[] { new { source = new { source_name = "src-4", schema = "shop", table = "*" } } },
                source_config = new { source_conf = new[] { new { source_name = "src-4" } } },
            },
        });
        await env.StartTaskAsync("again");
        await env.WaitForStageAsync("again", "Running", TimeSpan.FromMinutes(2), s => s["unit"]?.GetValue<string>() == "Sync");
        await env.Upstream.ExecuteAsync("INSERT INTO shop.orders VALUES (900001, 1, 1.00, 'before', NOW(6))");

        // Running: the start with remove_meta stops the subtask, drops its meta, and the worker builds it anew (Dump again).
        var restart = await env.Master.Http.PostAsJsonAsync("/api/v1/tasks/again/start", new { remove_meta = true });
        Assert.Equal(200, (int)restart.StatusCode);
        await env.WaitForStageAsync("again", "Running", TimeSpan.FromMinutes(2),
            s => s["unit"]?.GetValue<string>() == "Sync" && s["error_msg"] is null);
        Assert.Equal(2, worker.ReadLog().Split('\n').Count(l => l.Contains("subtask again on source src-4: units Dump", StringComparison.Ordinal)));

        await env.Upstream.ExecuteAsync("INSERT INTO shop.orders VALUES (900002, 2, 2.00, 'after', NOW(6))");
        await MigrationEnvironment.WaitForAsync(async () =>
            Convert.ToInt64(await env.Target.ScalarAsync("SELECT COUNT(*) FROM shop.orders WHERE id = 900002")) == 1,
            "the row written after the restart", TimeSpan.FromMinutes(1));
        // The keyed table is copied again over itself (on_duplicate replace); a keyless table would hold its rows twice, as in
        // DM: remove_meta starts over and leaves the target as it is.
        await using var source = await env.Upstream.OpenAsync();
        await using var target = await env.Target.OpenAsync();
        await Dm.TestKit.DataComparison.MigrationComparer.AssertSameAsync(source, target, [(("shop", "orders"), ("shop", "orders"))]);
    }
}
