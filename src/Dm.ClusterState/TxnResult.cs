namespace Dm.ClusterState;

/// <summary>
/// Outcome of a transaction: which branch ran, the store revision after it, and one result per
/// operation of that branch (Kvs for gets, Deleted for deletes, both empty for puts).
/// </summary>
public sealed record TxnResult(bool Succeeded, long Revision, IReadOnlyList<TxnOpResult> Results);

public sealed record TxnOpResult(IReadOnlyList<KeyValue> Kvs, long Deleted)
{
    public static readonly TxnOpResult Empty = new([], 0);
}
