using Etcdserverpb;
using Google.Protobuf;
using EtcdCompare = Etcdserverpb.Compare;

namespace Dm.ClusterState.Etcd;

/// <summary>
/// Translation between the store's values and etcd's v3 messages: keys as UTF-8 bytes, a prefix as etcd's
/// [key, range_end) range, compares, transaction operations and their results, and etcd's key-values.
/// </summary>
internal static class EtcdMessages
{
    private static readonly ByteString AllKeysFrom = ByteString.CopyFrom(0);

    public static ByteString Key(string key) => ByteString.CopyFromUtf8(key);

    /// <summary>etcd's range of a prefix: range_end "\0" means "to the last key"; the empty prefix starts at "\0" (etcd refuses an empty key).</summary>
    public static (ByteString Key, ByteString RangeEnd) Prefix(string prefix)
    {
        var range = KeyRange.ForPrefix(prefix);
        var start = range.Start.Length == 0 ? AllKeysFrom : ByteString.CopyFrom(range.Start);
        return (start, range.End is null ? AllKeysFrom : ByteString.CopyFrom(range.End));
    }

    public static RangeRequest Get(string key) => new() { Key = Key(key) };

    public static RangeRequest GetPrefix(string prefix)
    {
        var (key, end) = Prefix(prefix);
        return new RangeRequest { Key = key, RangeEnd = end };
    }

    public static PutRequest Put(string key, byte[] value, long leaseId)
        => new() { Key = Key(key), Value = ByteString.CopyFrom(value), Lease = leaseId };

    public static DeleteRangeRequest Delete(string key) => new() { Key = Key(key) };

    public static DeleteRangeRequest DeletePrefix(string prefix)
    {
        var (key, end) = Prefix(prefix);
        return new DeleteRangeRequest { Key = key, RangeEnd = end };
    }

    public static TxnRequest Txn(IReadOnlyList<Compare> compares, IReadOnlyList<TxnOp> then, IReadOnlyList<TxnOp>? otherwise)
    {
        var request = new TxnRequest();
        request.Compare.AddRange(compares.Select(ToEtcd));
        request.Success.AddRange(then.Select(ToEtcd));
        if (otherwise is not null)
            request.Failure.AddRange(otherwise.Select(ToEtcd));
        return request;
    }

    public static EtcdCompare ToEtcd(Compare compare)
    {
        // etcd reads the operand of the target's own field; a missing key compares as 0 (and a value never holds).
        var c = compare.Target switch
        {
            CompareTarget.Value => new EtcdCompare { Target = EtcdCompare.Types.CompareTarget.Value, Value = ByteString.CopyFrom(compare.Bytes ?? []) },
            CompareTarget.Version => new EtcdCompare { Target = EtcdCompare.Types.CompareTarget.Version, Version = compare.Number },
            CompareTarget.CreateRevision => new EtcdCompare { Target = EtcdCompare.Types.CompareTarget.Create, CreateRevision = compare.Number },
            CompareTarget.ModRevision => new EtcdCompare { Target = EtcdCompare.Types.CompareTarget.Mod, ModRevision = compare.Number },
            CompareTarget.Lease => new EtcdCompare { Target = EtcdCompare.Types.CompareTarget.Lease, Lease = compare.Number },
            _ => throw new ArgumentOutOfRangeException(nameof(compare), compare.Target, "unknown compare target"),
        };
        c.Key = Key(compare.Key);
        c.Result = compare.Op switch
        {
            CompareOp.Equal => EtcdCompare.Types.CompareResult.Equal,
            CompareOp.NotEqual => EtcdCompare.Types.CompareResult.NotEqual,
            CompareOp.Greater => EtcdCompare.Types.CompareResult.Greater,
            CompareOp.Less => EtcdCompare.Types.CompareResult.Less,
            _ => throw new ArgumentOutOfRangeException(nameof(compare), compare.Op, "unknown compare operator"),
        };
        return c;
    }

    public static RequestOp ToEtcd(TxnOp op) => op.Kind switch
    {
        TxnOpKind.Put => new RequestOp { RequestPut = Put(op.Key, op.Value ?? [], op.LeaseId) },
        TxnOpKind.Delete => new RequestOp { RequestDeleteRange = Delete(op.Key) },
        TxnOpKind.DeletePrefix => new RequestOp { RequestDeleteRange = DeletePrefix(op.Key) },
        TxnOpKind.Get => new RequestOp { RequestRange = Get(op.Key) },
        TxnOpKind.GetPrefix => new RequestOp { RequestRange = GetPrefix(op.Key) },
        _ => throw new ArgumentOutOfRangeException(nameof(op), op.Kind, "unknown transaction operation"),
    };

    public static TxnResult FromEtcd(TxnResponse response)
    {
        var results = new List<TxnOpResult>(response.Responses.Count);
        foreach (var r in response.Responses)
        {
            results.Add(r.ResponseCase switch
            {
                ResponseOp.ResponseOneofCase.ResponseRange => new TxnOpResult(FromEtcd(r.ResponseRange.Kvs), 0),
                ResponseOp.ResponseOneofCase.ResponseDeleteRange => new TxnOpResult([], r.ResponseDeleteRange.Deleted),
                _ => TxnOpResult.Empty,
            });
        }
        return new TxnResult(response.Succeeded, response.Header.Revision, results);
    }

    public static RangeResult FromEtcd(RangeResponse response) => new(FromEtcd(response.Kvs), response.Header.Revision);

    public static List<KeyValue> FromEtcd(IReadOnlyCollection<Mvccpb.KeyValue> kvs)
    {
        var list = new List<KeyValue>(kvs.Count);
        foreach (var kv in kvs)
            list.Add(FromEtcd(kv));
        return list;
    }

    public static KeyValue FromEtcd(Mvccpb.KeyValue kv)
        => new(kv.Key.ToStringUtf8(), kv.Value.ToByteArray(), kv.CreateRevision, kv.ModRevision, kv.Version, kv.Lease);

    /// <summary>One event of a watch; a delete's Kv has only the key and the deleting revision, as etcd sends it.</summary>
    public static WatchEvent FromEtcd(Mvccpb.Event e)
    {
        var type = e.Type == Mvccpb.Event.Types.EventType.Delete ? WatchEventType.Delete : WatchEventType.Put;
        var kv = type == WatchEventType.Delete
            ? new KeyValue(e.Kv.Key.ToStringUtf8(), [], 0, e.Kv.ModRevision, 0, 0)
            : FromEtcd(e.Kv);
        return new WatchEvent(type, kv, e.PrevKv is null ? null : FromEtcd(e.PrevKv));
    }

    /// <summary>The distinct leases the puts of a request name (to tell which one etcd found missing).</summary>
    public static IEnumerable<long> LeasesOf(IEnumerable<TxnOp> ops)
        => ops.Where(op => op.Kind == TxnOpKind.Put && op.LeaseId != 0).Select(op => op.LeaseId).Distinct();
}
