using Dm.Worker.Units;

namespace Dm.Worker.Tests.Subtasks;

/// <summary>
/// A unit that plays a script: each <see cref="ProcessAsync"/> (and optionally <see cref="InitAsync"/>) takes the next
/// step, a result to return or an exception to throw; when the script runs out it finishes.
/// </summary>
internal sealed class ScriptedUnit(string name, params object[] process) : IUnit
{
    private readonly Queue<object> _process = new(process);
    private int _processed;

    /// <summary>Exceptions <see cref="InitAsync"/> throws, one per call, before it succeeds.</summary>
    public Queue<Exception> InitFailures { get; } = new();

    public string Name => name;

    public int Processed => Volatile.Read(ref _processed);

    public Task InitAsync(CancellationToken cancellationToken) =>
        InitFailures.TryDequeue(out var failure) ? Task.FromException(failure) : Task.CompletedTask;

    public Task<UnitResult> ProcessAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _processed);
        return _process.TryDequeue(out var step)
            ? step switch
            {
                UnitResult result => Task.FromResult(result),
                Exception e => Task.FromException<UnitResult>(e),
                _ => throw new InvalidOperationException($"not a step: {step}"),
            }
            : Task.FromResult(UnitResult.Finished);
    }

    public UnitStatus Status() => new(new Dm.Core.Api.DumpStatus
    {
        Bps = 0, CompletedTables = 0, EstimateTotalRows = 0, FinishedBytes = 0, FinishedRows = Processed, Progress = "", TotalTables = 0,
    });
}
