using Dm.Core.Errors;
using Dm.Worker.Errors;

namespace Dm.Worker.Units;

public enum UnitOutcome
{
    Finished,
    /// <summary>Stopped because the caller cancelled; ProcessAsync again resumes.</summary>
    Paused,
    Failed,
}

/// <summary>How one ProcessAsync call ended; a failure carries DM's error and its <see cref="ErrorKind"/>.</summary>
public sealed record UnitResult(UnitOutcome Outcome, DmException? Error = null, ErrorKind? Kind = null)
{
    public static readonly UnitResult Finished = new(UnitOutcome.Finished);
    public static readonly UnitResult Paused = new(UnitOutcome.Paused);

    /// <summary>A failure that auto-resume runs again (every kind but <see cref="ErrorKind.NeedsUser"/>, as DM).</summary>
    public bool Resumable => Outcome == UnitOutcome.Failed && Kind is { } kind && DatabaseErrorPolicy.AutoResumes(kind);

    public static UnitResult Failed(DmException error, ErrorKind kind) => new(UnitOutcome.Failed, error, kind);
}
