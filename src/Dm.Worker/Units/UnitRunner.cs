using Dm.Core.Errors;
using Dm.Worker.Errors;

namespace Dm.Worker.Units;

/// <summary>Turns the exceptions of a unit's work into a <see cref="UnitResult"/> (paused, failed with DM's code).</summary>
internal static class UnitRunner
{
    public static async Task<UnitResult> RunAsync(Func<CancellationToken, Task> work, DmError runtimeError, CancellationToken cancellationToken)
    {
        try
        {
            await work(cancellationToken);
            return UnitResult.Finished;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            return UnitResult.Paused;
        }
        catch (Exception e)
        {
            var (error, kind) = DatabaseErrorPolicy.ForUnit(e, runtimeError);
            return UnitResult.Failed(error, kind);
        }
    }
}
