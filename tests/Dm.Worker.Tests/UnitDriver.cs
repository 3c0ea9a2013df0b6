using Dm.Worker.Units;

namespace Dm.Worker.Tests;

/// <summary>Runs units the way a subtask runner does: init, then process until finished.</summary>
internal static class UnitDriver
{
    public static async Task RunToEndAsync(IUnit unit)
    {
        await unit.InitAsync(CancellationToken.None);
        var result = await unit.ProcessAsync(CancellationToken.None);
        Assert.True(result.Outcome == UnitOutcome.Finished, $"{unit.Name}: {result.Outcome} {result.Error?.Message}");
    }

    /// <summary>Pauses the unit at random moments until it finishes on its own; returns how many pauses hit it.</summary>
    public static async Task<int> RunWithRandomPausesAsync(IUnit unit, int seed, int maxPauses, int minMs, int maxMs)
    {
        var random = new Random(seed);
        await unit.InitAsync(CancellationToken.None);
        var pauses = 0;
        for (var attempt = 0; ; attempt++)
        {
            using var cts = new CancellationTokenSource();
            if (attempt < maxPauses)
                cts.CancelAfter(random.Next(minMs, maxMs));
            var result = await unit.ProcessAsync(cts.Token);
            if (result.Outcome == UnitOutcome.Finished)
                return pauses;
            Assert.True(result.Outcome == UnitOutcome.Paused, $"{unit.Name}: {result.Outcome} {result.Error?.Message}");
            pauses++;
        }
    }
}
