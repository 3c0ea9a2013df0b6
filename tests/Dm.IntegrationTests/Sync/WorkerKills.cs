using Dm.TestKit;

namespace Dm.IntegrationTests.Sync;

/// <summary>
/// A worker killed with SIGKILL again and again while something writes, started again under the same name each time:
/// the moments are drawn from <paramref name="seed"/> (the workload's, so a failure replays), each after 300 ms up to
/// <paramref name="maxDelay"/>.
/// </summary>
public static class WorkerKills
{
    public static async Task RunAsync(DmWorkerProcess worker, int kills, int seed, TimeSpan maxDelay, Task writing, Action<string> log)
    {
        var moments = new Random(seed);
        for (var kill = 1; kill <= kills; kill++)
        {
            var after = TimeSpan.FromMilliseconds(moments.Next(300, (int)maxDelay.TotalMilliseconds));
            await Task.Delay(after);
            Assert.False(writing.IsFaulted, writing.Exception?.ToString());
            log($"kill {kill} after {after.TotalMilliseconds:0} ms");
            worker.Kill();
            await worker.RestartAsync();
        }
    }
}
