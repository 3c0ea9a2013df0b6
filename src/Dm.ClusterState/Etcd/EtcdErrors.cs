using Grpc.Core;

namespace Dm.ClusterState.Etcd;

/// <summary>
/// What etcd's gRPC errors mean to the store's callers. etcd reports its own conditions as a status code with a
/// fixed message ("etcdserver: requested lease not found", "etcdserver: mvcc: required revision has been compacted",
/// ...); those become the store's exceptions, a lost connection or a passed deadline becomes
/// <see cref="ClusterStoreUnavailableException"/>, a request etcd rejects as malformed an <see cref="ArgumentException"/>.
/// </summary>
internal static class EtcdErrors
{
    public static bool IsLeaseNotFound(RpcException e)
        => e.StatusCode == StatusCode.NotFound && e.Status.Detail.Contains("lease not found", StringComparison.Ordinal);

    public static bool IsCompacted(RpcException e)
        => e.StatusCode == StatusCode.OutOfRange && e.Status.Detail.Contains("has been compacted", StringComparison.Ordinal);

    public static bool IsFutureRevision(RpcException e)
        => e.StatusCode == StatusCode.OutOfRange && e.Status.Detail.Contains("future revision", StringComparison.Ordinal);

    /// <summary>Whether the failure is a lost or unreachable member (worth trying again on another one).</summary>
    public static bool IsConnectionLoss(RpcException e)
        => e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown;

    /// <summary>
    /// The store's exception for a failed call to etcd: <paramref name="what"/> names the operation for the message,
    /// <paramref name="leaseId"/> and <paramref name="revision"/> are what it was about (etcd does not repeat them;
    /// a compacted revision's exception cannot tell where history starts, so it names the revision asked for).
    /// </summary>
    public static Exception Translate(RpcException e, string what, TimeSpan timeout, CancellationToken ct, long leaseId = 0, long revision = 0)
    {
        if (ct.IsCancellationRequested)
            return new OperationCanceledException($"etcd {what} was cancelled", e, ct);
        if (IsLeaseNotFound(e))
            return new LeaseNotFoundException(leaseId);
        if (IsCompacted(e))
            return new CompactedRevisionException(revision, revision);
        if (IsFutureRevision(e))
            return new FutureRevisionException(revision, revision - 1);
        string detail = string.IsNullOrEmpty(e.Status.Detail) ? e.StatusCode.ToString() : e.Status.Detail;
        return e.StatusCode switch
        {
            StatusCode.DeadlineExceeded => new ClusterStoreUnavailableException(
                $"etcd {what} got no answer within {timeout.TotalSeconds:0.###}s (no etcd member reachable, or the cluster has no leader)", e),
            StatusCode.Unavailable or StatusCode.Cancelled or StatusCode.Internal or StatusCode.Unknown => new ClusterStoreUnavailableException(
                $"etcd {what} failed: {detail}", e),
            StatusCode.InvalidArgument => new ArgumentException($"etcd rejected the {what}: {detail}", e),
            // etcd's gRPC server refuses a message above --max-request-bytes plus its overhead before etcd sees it.
            StatusCode.ResourceExhausted when detail.Contains("larger than max", StringComparison.Ordinal)
                => new ArgumentException($"etcd rejected the {what}: {detail}", e),
            _ => new ClusterStoreException($"etcd {what} failed ({e.StatusCode}): {detail}", e),
        };
    }
}
