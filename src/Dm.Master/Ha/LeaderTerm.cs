namespace Dm.Master.Ha;

/// <summary>One stretch of time this master leads: <see cref="Token"/> is cancelled when it ends (lost, resigned, evicted, stopping).</summary>
public sealed record LeaderTerm(DateTimeOffset Since, CancellationToken Token);
