using System.Text;

namespace Dm.ClusterState;

public enum TxnOpKind { Put, Delete, DeletePrefix, Get, GetPrefix }

/// <summary>
/// One operation of a transaction branch. As etcd, a store rejects (ArgumentException) a branch that puts one key
/// twice or puts a key it also deletes (by key or prefix), in either branch whichever runs, and an empty key
/// (prefixes may be empty); deletes may overlap.
/// </summary>
public sealed record TxnOp(TxnOpKind Kind, string Key, byte[]? Value = null, long LeaseId = 0)
{
    public static TxnOp Put(string key, byte[] value, long leaseId = 0) => new(TxnOpKind.Put, key, value, leaseId);
    public static TxnOp Put(string key, string value, long leaseId = 0) => Put(key, Encoding.UTF8.GetBytes(value), leaseId);
    public static TxnOp Delete(string key) => new(TxnOpKind.Delete, key);
    public static TxnOp DeletePrefix(string prefix) => new(TxnOpKind.DeletePrefix, prefix);
    public static TxnOp Get(string key) => new(TxnOpKind.Get, key);
    public static TxnOp GetPrefix(string prefix) => new(TxnOpKind.GetPrefix, prefix);
}
