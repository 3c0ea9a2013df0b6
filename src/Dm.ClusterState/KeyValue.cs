using System.Text;

namespace Dm.ClusterState;

/// <summary>
/// One key as the store holds it, with etcd's bookkeeping: the revision that created the key,
/// the revision of its last change, how many times it was written since creation, and its lease (0 = none).
/// </summary>
public sealed record KeyValue(string Key, byte[] Value, long CreateRevision, long ModRevision, long Version, long LeaseId)
{
    /// <summary>The value decoded as UTF-8 (DM stores JSON/YAML text).</summary>
    public string ValueString => Encoding.UTF8.GetString(Value);
}
