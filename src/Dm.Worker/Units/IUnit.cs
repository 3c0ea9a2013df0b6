namespace Dm.Worker.Units;

/// <summary>
/// One step of a subtask (Dump, Load, Sync). A runner calls <see cref="InitAsync"/> once, then
/// <see cref="ProcessAsync"/>; cancelling the token pauses the unit, and calling ProcessAsync again resumes it
/// from its checkpoint. A fresh instance over the same config resumes the same way (crash recovery).
/// </summary>
public interface IUnit
{
    /// <summary>"Dump", "Load" or "Sync", as DM names units in task status.</summary>
    string Name { get; }

    /// <summary>Validates config and reachability; throws <see cref="Dm.Core.Errors.DmException"/> on bad input.</summary>
    Task InitAsync(CancellationToken cancellationToken);

    /// <summary>Runs until finished, paused (token cancelled) or failed; never throws for those outcomes.</summary>
    Task<UnitResult> ProcessAsync(CancellationToken cancellationToken);

    /// <summary>This unit's progress as the API shows it.</summary>
    UnitStatus Status();
}
