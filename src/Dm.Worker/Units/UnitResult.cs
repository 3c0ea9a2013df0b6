using Dm.Core.Errors;

namespace Dm.Worker.Units;

public enum UnitOutcome
{
    Finished,
    /// <summary>Stopped because the caller cancelled; ProcessAsync again resumes.</summary>
    Paused,
    Failed,
}

/// <summary>How one ProcessAsync call ended.</summary>
public sealed record UnitResult(UnitOutcome Outcome, DmException? Error = null, bool Resumable = false)
{
    public static readonly UnitResult Finished = new(UnitOutcome.Finished);
    public static readonly UnitResult Paused = new(UnitOutcome.Paused);

    public static UnitResult Failed(DmException error, bool resumable) => new(UnitOutcome.Failed, error, resumable);
}
