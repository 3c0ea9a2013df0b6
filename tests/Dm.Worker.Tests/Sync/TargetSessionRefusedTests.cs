using Dm.Core.Config;
using Dm.Worker.Sync;
using Dm.Worker.Units;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dm.Worker.Tests.Sync;

/// <summary>
/// A target session variable the server refuses (one that passed no pre-check) stops Sync with DM's 10001 carrying the
/// server's error and the variable's name, for the user to fix, instead of crashing or retrying for ever.
/// </summary>
[Collection(SyncCollection.Name)]
public sealed class TargetSessionRefusedTests(SyncServersFixture fx)
{
    [Fact]
    public async Task An_unknown_target_session_variable_stops_sync_with_10001_naming_it()
    {
        var config = new SubTaskConfig
        {
            Name = "t_bad_session",
            Mode = TaskModes.Incremental,
            SourceId = "sync-source",
            Meta = await fx.MasterPositionAsync(),
            BlockAllowList = new Dm.Core.Rules.BlockAllowListRules { DoDbs = ["bad_session"] },
        };
        config.Adjust();
        var target = SyncServersFixture.Endpoint(fx.Target) with { SessionVariables = [new("no_such_variable", "1")] };
        var unit = new SyncUnit(new SyncSettings(config, new SourceConfig { SourceId = "sync-source", ServerId = 4243 },
            SyncServersFixture.Endpoint(fx.Source), target), NullLogger.Instance);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var result = await unit.ProcessAsync(timeout.Token);
        Assert.True(result.Outcome == UnitOutcome.Failed, $"the run did not stop on the refused variable: {result.Outcome}");
        Assert.Equal(10001, result.Error!.Error.Code);
        Assert.Contains("no_such_variable", result.Error.Message);
        Assert.Contains("Unknown system variable", result.Error.Message);
        Assert.False(result.Resumable);
    }
}
