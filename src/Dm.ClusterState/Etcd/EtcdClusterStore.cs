using System.Runtime.CompilerServices;
using Etcdserverpb;
using Grpc.Core;

namespace Dm.ClusterState.Etcd;

/// <summary>
/// The cluster state on a real etcd v3 cluster (several masters, leader election and failover), through
/// dotnet-etcd's generated etcd clients on one channel over all members. Every operation is one etcd request
/// with etcd's own semantics (revisions from response headers, compares evaluated by etcd, leases expired by
/// etcd); the store adds no state of its own. Requests have a deadline: a lost member or cluster surfaces as
/// <see cref="ClusterStoreUnavailableException"/>, and the next request goes to a member that answers.
/// </summary>
public sealed class EtcdClusterStore : IClusterStore
{
    // A count of one key ("\0"): the header carries the store revision (a linearizable read, as every read here).
    private static readonly RangeRequest RevisionProbe = new() { Key = Google.Protobuf.ByteString.CopyFrom(0), CountOnly = true };

    private readonly EtcdConnection _connection;
    private volatile bool _disposed;

    private EtcdClusterStore(EtcdConnection connection) => _connection = connection;

    public IReadOnlyList<EtcdEndpoint> Endpoints => _connection.Endpoints;

    /// <summary>
    /// Opens the store without contacting etcd (the first request connects).
    /// </summary>
    /// <exception cref="ArgumentException">the options are invalid (see <see cref="EtcdClusterStoreOptions.Validate"/>).</exception>
    public static EtcdClusterStore Open(EtcdClusterStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new EtcdClusterStore(new EtcdConnection(options.Validate(), options));
    }

    /// <summary>Opens the store and checks that etcd answers within the dial timeout.</summary>
    /// <exception cref="ClusterStoreUnavailableException">no member answered (with a leader) in time.</exception>
    public static async Task<EtcdClusterStore> ConnectAsync(EtcdClusterStoreOptions options, CancellationToken ct = default)
    {
        var store = Open(options);
        try
        {
            await store.CallAsync("connection check", c => c.Kv.RangeAsync(RevisionProbe, c.Request(ct, options.DialTimeout)), ct,
                timeout: options.DialTimeout).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<long> GetRevisionAsync(CancellationToken ct = default)
        => (await CallAsync("read of the revision", c => c.Kv.RangeAsync(RevisionProbe, c.Request(ct)), ct).ConfigureAwait(false)).Header.Revision;

    public async Task<RangeResult> GetAsync(string key, CancellationToken ct = default)
        => EtcdMessages.FromEtcd(await CallAsync($"get of '{key}'", c => c.Kv.RangeAsync(EtcdMessages.Get(key), c.Request(ct)), ct)
            .ConfigureAwait(false));

    public async Task<RangeResult> GetPrefixAsync(string prefix, CancellationToken ct = default)
        => EtcdMessages.FromEtcd(await CallAsync($"get of prefix '{prefix}'", c => c.Kv.RangeAsync(EtcdMessages.GetPrefix(prefix), c.Request(ct)), ct)
            .ConfigureAwait(false));

    public async Task<long> PutAsync(string key, byte[] value, long leaseId = 0, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        return (await CallAsync($"put of '{key}'", c => c.Kv.PutAsync(EtcdMessages.Put(key, value, leaseId), c.Request(ct)), ct, leaseId)
            .ConfigureAwait(false)).Header.Revision;
    }

    public async Task<long> DeleteAsync(string key, CancellationToken ct = default)
        => (await CallAsync($"delete of '{key}'", c => c.Kv.DeleteRangeAsync(EtcdMessages.Delete(key), c.Request(ct)), ct)
            .ConfigureAwait(false)).Deleted;

    public async Task<long> DeletePrefixAsync(string prefix, CancellationToken ct = default)
        => (await CallAsync($"delete of prefix '{prefix}'", c => c.Kv.DeleteRangeAsync(EtcdMessages.DeletePrefix(prefix), c.Request(ct)), ct)
            .ConfigureAwait(false)).Deleted;

    public async Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<TxnOp> then,
        IReadOnlyList<TxnOp>? otherwise = null, CancellationToken ct = default)
    {
        var request = EtcdMessages.Txn(compares, then, otherwise);
        try
        {
            return EtcdMessages.FromEtcd(await CallAsync("transaction", c => c.Kv.TxnAsync(request, c.Request(ct)), ct).ConfigureAwait(false));
        }
        catch (LeaseNotFoundException)
        {
            // etcd does not say which lease of the transaction it could not find.
            throw new LeaseNotFoundException(await MissingLeaseAsync(EtcdMessages.LeasesOf(then.Concat(otherwise ?? [])), ct).ConfigureAwait(false));
        }
    }

    public async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long afterRevision,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var watch = new EtcdWatch(_connection, prefix, afterRevision, ct);
        while (true)
        {
            foreach (var e in await watch.NextAsync().ConfigureAwait(false))
                yield return e;
        }
    }

    public async Task<long> GrantLeaseAsync(long ttlSeconds, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ttlSeconds, 1);
        var response = await CallAsync("lease grant", c => c.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = ttlSeconds }, c.Request(ct)), ct)
            .ConfigureAwait(false);
        if (!string.IsNullOrEmpty(response.Error))
            throw new ClusterStoreException($"etcd refused a lease of {ttlSeconds}s: {response.Error}");
        return response.ID;
    }

    /// <summary>One round trip on etcd's keepalive stream. etcd raises a TTL below its minimum (1.5 election timeouts) and returns what it keeps.</summary>
    public async Task<long> KeepAliveOnceAsync(long leaseId, CancellationToken ct = default)
    {
        var response = await CallAsync($"keepalive of lease {leaseId:x}", async c =>
        {
            using var call = c.Lease.LeaseKeepAlive(c.Request(ct));
            await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = leaseId }).ConfigureAwait(false);
            if (!await call.ResponseStream.MoveNext(ct).ConfigureAwait(false))
                throw new RpcException(new Status(StatusCode.Unavailable, "etcd ended the keepalive stream without an answer"));
            var answer = call.ResponseStream.Current;
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            return answer;
        }, ct).ConfigureAwait(false);
        // etcd answers a keepalive of a lease it does not have with TTL 0.
        if (response.TTL <= 0)
            throw new LeaseNotFoundException(leaseId);
        return response.TTL;
    }

    public async Task RevokeLeaseAsync(long leaseId, CancellationToken ct = default)
    {
        await CallAsync($"revoke of lease {leaseId:x}", c => c.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = leaseId }, c.Request(ct)), ct, leaseId)
            .ConfigureAwait(false);
    }

    public async Task<LeaseInfo?> GetLeaseAsync(long leaseId, CancellationToken ct = default)
    {
        var response = await CallAsync($"time-to-live of lease {leaseId:x}",
            c => c.Lease.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = leaseId }, c.Request(ct)), ct).ConfigureAwait(false);
        // etcd answers -1 for a lease it does not have.
        return response.TTL < 0 ? null : new LeaseInfo(leaseId, response.GrantedTTL, response.TTL);
    }

    public async Task CompactAsync(long revision, CancellationToken ct = default)
    {
        try
        {
            // Physical: return once the history is gone, not merely scheduled to go.
            await CallAsync($"compaction at {revision}",
                c => c.Kv.CompactAsync(new CompactionRequest { Revision = revision, Physical = true }, c.Request(ct)), ct, revision: revision)
                .ConfigureAwait(false);
        }
        catch (CompactedRevisionException)
        {
            // etcd says "compacted" without saying where its history starts.
            throw new CompactedRevisionException(revision, await CompactRevisionAsync(ct).ConfigureAwait(false) ?? revision);
        }
        catch (FutureRevisionException)
        {
            throw new FutureRevisionException(revision, await GetRevisionAsync(ct).ConfigureAwait(false));
        }
    }

    /// <summary>The cluster's members as etcd lists them (linearizable); a member added but not started yet has no name.</summary>
    public async Task<IReadOnlyList<EtcdMember>> ListMembersAsync(CancellationToken ct = default)
    {
        var response = await CallAsync("member list", c => c.Cluster.MemberListAsync(new MemberListRequest { Linearizable = true }, c.Request(ct)), ct)
            .ConfigureAwait(false);
        return response.Members.Select(EtcdMember.From).ToList();
    }

    /// <summary>Adds a voting member with these peer URLs (etcd's member add); it joins once started with <c>--initial-cluster-state=existing</c>.</summary>
    /// <exception cref="ClusterStoreException">etcd refused it (a peer URL already used, or the cluster unhealthy).</exception>
    public async Task<EtcdMember> AddMemberAsync(IReadOnlyList<string> peerUrls, CancellationToken ct = default)
    {
        var request = new MemberAddRequest();
        request.PeerURLs.AddRange(peerUrls);
        var response = await CallAsync("member add", c => c.Cluster.MemberAddAsync(request, c.Request(ct)), ct).ConfigureAwait(false);
        return EtcdMember.From(response.Member);
    }

    /// <summary>Removes a member (etcd's member remove); the member's etcd process stops itself once it learns of it.</summary>
    /// <exception cref="ClusterStoreException">etcd refused it (no such member, or the removal would leave the cluster without quorum).</exception>
    public async Task RemoveMemberAsync(ulong memberId, CancellationToken ct = default)
        => await CallAsync($"removal of member {memberId:x}", c => c.Cluster.MemberRemoveAsync(new MemberRemoveRequest { ID = memberId }, c.Request(ct)), ct)
            .ConfigureAwait(false);

    // A watch from the first revision is told where history starts (null: it was not told within the request timeout).
    private async Task<long?> CompactRevisionAsync(CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(_connection.Options.RequestTimeout);
        try
        {
            await foreach (var _ in WatchAsync("", 0, cts.Token).ConfigureAwait(false))
                return null;
        }
        catch (CompactedRevisionException e)
        {
            return e.CompactRevision;
        }
        catch (Exception e) when (e is OperationCanceledException or ClusterStoreUnavailableException && !ct.IsCancellationRequested)
        {
            // nothing older to tell: the caller names the revision it asked for
        }
        return null;
    }

    // The first of the leases that etcd does not have (the first one named if all exist by now).
    private async Task<long> MissingLeaseAsync(IEnumerable<long> leases, CancellationToken ct)
    {
        long first = 0;
        foreach (long lease in leases)
        {
            if (first == 0)
                first = lease;
            if (await GetLeaseAsync(lease, ct).ConfigureAwait(false) is null)
                return lease;
        }
        return first;
    }

    private Task<T> CallAsync<T>(string what, Func<EtcdConnection, AsyncUnaryCall<T>> call, CancellationToken ct,
        long leaseId = 0, long revision = 0, TimeSpan? timeout = null)
        => CallAsync(what, c => call(c).ResponseAsync, ct, leaseId, revision, timeout);

    // One request, its failure as the store's exception; leaseId and revision are what the request was about.
    private async Task<T> CallAsync<T>(string what, Func<EtcdConnection, Task<T>> call, CancellationToken ct,
        long leaseId = 0, long revision = 0, TimeSpan? timeout = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ct.ThrowIfCancellationRequested();
        try
        {
            return await call(_connection).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw EtcdErrors.Translate(e, what, timeout ?? _connection.Options.RequestTimeout, ct, leaseId, revision);
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            _connection.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
