namespace Dm.ClusterState;

public enum WatchEventType { Put, Delete }

/// <summary>
/// One change. For a delete, Kv carries only the key and the deleting revision (as etcd's).
/// PrevKv is the key's state before the change when the store still has it, else null.
/// </summary>
public sealed record WatchEvent(WatchEventType Type, KeyValue Kv, KeyValue? PrevKv)
{
    public long Revision => Kv.ModRevision;
}
