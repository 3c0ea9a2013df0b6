using Dm.Core.Api;
using Dm.Core.Config;
using Dm.TestKit;
using Dm.Worker.Relay;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dm.Worker.Tests.Relay;

/// <summary>A relay unit pulling a real MariaDB into a test's relay log, started running, and the wait its tests poll with.</summary>
internal static class LiveRelayUnit
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>A running relay unit of source <paramref name="sourceId"/> on <paramref name="upstream"/>, starting at <paramref name="startFile"/>.</summary>
    public static RelayUnit Start(MariaDbServer upstream, RelayLog log, string sourceId, string startFile, bool enableGtid = false,
        Func<string, FileStream>? openFile = null)
    {
        var source = new SourceConfig
        {
            SourceId = sourceId, ServerId = 4343, Flavor = "mariadb", EnableGtid = enableGtid, RelayBinlogName = startFile,
            From = new DbConfig { Host = upstream.Host, Port = upstream.Port, User = upstream.User, Password = upstream.Password },
        };
        var unit = new RelayUnit(new RelayUnitSettings(source, sourceId + "-worker", new RelayTaskCheckpoints(() => []), openFile), log,
            NullLogger.Instance);
        unit.Expect(TaskStage.Running, 1);
        return unit;
    }

    public static async Task WaitForAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }

    public static Task WaitForAsync(Func<bool> done, string what) => WaitForAsync(() => Task.FromResult(done()), what);
}
