namespace Dm.Master.State;

/// <summary>
/// The two views of the cluster state a master's services get. The plain <see cref="Dm.ClusterState.IClusterStore"/> is
/// the leader's (<see cref="Dm.ClusterState.LeaderGuardedStore"/>: its writes land only while this master's election key
/// is the one it won); the keyed <see cref="Unguarded"/> one is for what every master writes for itself whether it leads
/// or not (its member record, its election session and candidacy) and for etcd's member operations.
/// </summary>
public static class MasterStores
{
    public const string Unguarded = "unguarded";
}
