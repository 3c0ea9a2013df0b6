namespace Dm.Master.Ha;

/// <summary>What leader-only work waits on: this master's terms as the leader (<see cref="MasterElection"/>).</summary>
public interface ILeaderTerms
{
    /// <summary>The current term, or (waiting) the next one. A term returned may already have ended: check its token.</summary>
    Task<LeaderTerm> WaitForTermAsync(CancellationToken ct);
}
