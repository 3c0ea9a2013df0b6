namespace Dm.ClusterState;

/// <summary>A live lease: the TTL it was granted with and the seconds left before it expires.</summary>
public sealed record LeaseInfo(long Id, long GrantedTtlSeconds, long RemainingTtlSeconds);
