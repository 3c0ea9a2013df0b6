using System.Text;

namespace Dm.ClusterState;

public enum CompareTarget { Value, Version, CreateRevision, ModRevision, Lease }

public enum CompareOp { Equal, NotEqual, Greater, Less }

/// <summary>
/// A transaction guard, as etcd's: compares one field of a key with an operand. A missing key has
/// version, revisions and lease 0, and any comparison of its value is false.
/// </summary>
public sealed record Compare(string Key, CompareTarget Target, CompareOp Op, long Number, byte[]? Bytes)
{
    public static Compare Value(string key, CompareOp op, byte[] value) => new(key, CompareTarget.Value, op, 0, value);
    public static Compare Value(string key, CompareOp op, string value) => Value(key, op, Encoding.UTF8.GetBytes(value));
    public static Compare Version(string key, CompareOp op, long version) => new(key, CompareTarget.Version, op, version, null);
    public static Compare CreateRevision(string key, CompareOp op, long revision) => new(key, CompareTarget.CreateRevision, op, revision, null);
    public static Compare ModRevision(string key, CompareOp op, long revision) => new(key, CompareTarget.ModRevision, op, revision, null);
    public static Compare Lease(string key, CompareOp op, long leaseId) => new(key, CompareTarget.Lease, op, leaseId, null);
    public static Compare Exists(string key) => CreateRevision(key, CompareOp.Greater, 0);
    public static Compare NotExists(string key) => CreateRevision(key, CompareOp.Equal, 0);

    /// <summary>Evaluates the guard against the key's current state (null = missing).</summary>
    internal bool IsSatisfiedBy(KeyValue? kv)
    {
        if (kv is null && Target == CompareTarget.Value)
            return false;
        int cmp = Target switch
        {
            CompareTarget.Value => kv!.Value.AsSpan().SequenceCompareTo(Bytes ?? []),
            CompareTarget.Version => (kv?.Version ?? 0).CompareTo(Number),
            CompareTarget.CreateRevision => (kv?.CreateRevision ?? 0).CompareTo(Number),
            CompareTarget.ModRevision => (kv?.ModRevision ?? 0).CompareTo(Number),
            CompareTarget.Lease => (kv?.LeaseId ?? 0).CompareTo(Number),
            _ => throw new ArgumentOutOfRangeException(nameof(Target), Target, "unknown compare target"),
        };
        return Op switch
        {
            CompareOp.Equal => cmp == 0,
            CompareOp.NotEqual => cmp != 0,
            CompareOp.Greater => cmp > 0,
            CompareOp.Less => cmp < 0,
            _ => throw new ArgumentOutOfRangeException(nameof(Op), Op, "unknown compare operator"),
        };
    }
}
